/** The adaptive jitter buffer: what the media pipeline needs from `firmware/media/jitter/`. */
export { JitterBuffer, type JitterBufferOptions, type PlayoutFrame } from './jitter-buffer.ts';
export type { JitterBufferStatistics } from './jitter-buffer-statistics.ts';
export type { PlayoutKind } from './playout-kind.ts';
export { parseComfortNoisePayload, type ComfortNoiseParameters } from './comfort-noise-payload.ts';
