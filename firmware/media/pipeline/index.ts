/** The media pipeline: one call leg's audio (see docs/media.md, "Media pipeline"). */
export { MediaStream } from './media-stream.ts';
export type { MediaStreamOptions } from './media-stream-options.ts';
export type { MediaStreamEvent } from './media-stream-events.ts';
export type { MediaStreamStatistics } from './media-stream-statistics.ts';
export { directionReceives, directionSends, MEDIA_DIRECTIONS, type MediaDirection } from './media-direction.ts';
export type { ReceivedDtmf } from './received-dtmf.ts';
export type { DtmfSendOptions, MuteMode } from './send-path.ts';
