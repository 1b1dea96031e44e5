/**
 * Samples per frame and RTP timestamp increment per frame for a packetisation
 * time. They differ when the codec's sample rate differs from its RTP clock
 * rate (G.722, RFC 3551 §4.5.2: 20 ms = 320 samples but +160 on the timestamp).
 */
import type { CodecDescriptor } from '../types.ts';

export interface FrameTiming {
  /** PCM samples per channel in one frame, at `sampleRateHz`. */
  readonly samplesPerFrame: number;
  /** RTP timestamp advance per frame, in ticks of `rtpClockRateHz` (RFC 3550 §5.1). */
  readonly rtpTimestampIncrement: number;
}

function exactCount(rateHz: number, frameDurationMs: number, what: string): number {
  const count = (rateHz * frameDurationMs) / 1000;
  if (!Number.isInteger(count) || count <= 0) {
    throw new RangeError(`a ${frameDurationMs} ms frame is not a whole positive number of ${what} at ${rateHz} Hz`);
  }
  return count;
}

/** Throws a RangeError when the frame does not hold a whole number of samples or clock ticks. */
export function frameTiming(codec: CodecDescriptor, frameDurationMs: number = codec.frameDurationMs): FrameTiming {
  return {
    samplesPerFrame: exactCount(codec.sampleRateHz, frameDurationMs, 'samples'),
    rtpTimestampIncrement: exactCount(codec.rtpClockRateHz, frameDurationMs, 'RTP clock ticks'),
  };
}
