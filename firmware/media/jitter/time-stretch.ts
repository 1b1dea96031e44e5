/**
 * WSOLA-lite time-stretching of a block of not-yet-played PCM.
 *
 * Accelerate drops one pitch period: the period is cross-faded into the next
 * one over its whole length, so the join is between two similar waveforms.
 * Expand repeats one: the period is played, then cross-faded back into its
 * own start. Either way the first output sample is the block's first sample
 * and the last ones are the block's tail, so the block joins what was played
 * before and what comes after without a seam.
 *
 * Speech is stretched only where it is periodic enough (correlation ≥ the
 * threshold, like NetEq's accelerate/preemptive expand). Quiet blocks
 * (silence, background noise) are stretched by up to a whole frame with a
 * short cross-fade: a frame-level drop/insert.
 */
import { crossfade } from './crossfade.ts';
import { findPitchLag } from './pitch-search.ts';

export type StretchDirection = 'accelerate' | 'expand';

export interface TimeStretchOptions {
  readonly direction: StretchDirection;
  readonly sampleRateHz: number;
  readonly minPeriodMs?: number;
  readonly maxPeriodMs?: number;
  readonly correlationThreshold?: number;
  /** RMS below which the block counts as quiet (default −45 dBov). */
  readonly quietRms?: number;
  /** Most samples a quiet block may gain or lose. */
  readonly maxQuietChangeSamples: number;
  /** Cross-fade length for quiet blocks. */
  readonly quietCrossfadeMs?: number;
}

export interface TimeStretchResult {
  readonly output: Float32Array;
  /** Samples removed (accelerate) or inserted (expand); always > 0. */
  readonly changedSamples: number;
}

/** Removes `count` samples at the block start, cross-fading over `fadeLength` samples. */
function removeSamples(block: Float32Array, count: number, fadeLength: number): Float32Array {
  const faded = crossfade(block.subarray(0, fadeLength), block.subarray(count, count + fadeLength));
  const out = new Float32Array(block.length - count);
  out.set(faded, 0);
  out.set(block.subarray(count + fadeLength), fadeLength);
  return out;
}

/** Inserts `count` samples: plays the first `count`, then cross-fades back to the block start. */
function insertSamples(block: Float32Array, count: number, fadeLength: number): Float32Array {
  const out = new Float32Array(block.length + count);
  out.set(block.subarray(0, count), 0);
  out.set(crossfade(block.subarray(count, count + fadeLength), block.subarray(0, fadeLength)), count);
  out.set(block.subarray(fadeLength), count + fadeLength);
  return out;
}

function rms(block: Float32Array): number {
  let sum = 0;
  for (const value of block) sum += value * value;
  return block.length > 0 ? Math.sqrt(sum / block.length) : 0;
}

/** Returns undefined when the block is too short or not periodic enough to stretch cleanly. */
export function timeStretch(block: Float32Array, options: TimeStretchOptions): TimeStretchResult | undefined {
  const samplesPerMs = options.sampleRateHz / 1000;
  const minLag = Math.max(1, Math.round((options.minPeriodMs ?? 2.5) * samplesPerMs));
  const maxLag = Math.round((options.maxPeriodMs ?? 15) * samplesPerMs);
  const quietRms = options.quietRms ?? 32767 * 10 ** (-45 / 20);
  const apply = options.direction === 'accelerate' ? removeSamples : insertSamples;

  if (rms(block) < quietRms) {
    const fadeLength = Math.round((options.quietCrossfadeMs ?? 2.5) * samplesPerMs);
    const count = Math.min(options.maxQuietChangeSamples, block.length - fadeLength);
    if (count < minLag) return undefined;
    return { output: apply(block, count, fadeLength), changedSamples: count };
  }

  if (block.length < 2 * maxLag) return undefined;
  const windowSamples = Math.min(maxLag, block.length - maxLag);
  const estimate = findPitchLag(block, {
    referenceStart: 0,
    windowSamples,
    minLagSamples: minLag,
    maxLagSamples: maxLag,
    direction: 1,
  });
  if (estimate.correlation < (options.correlationThreshold ?? 0.9)) return undefined;
  const lag = estimate.lagSamples;
  return { output: apply(block, lag, lag), changedSamples: lag };
}
