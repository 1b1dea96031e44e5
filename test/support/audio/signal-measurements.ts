/**
 * Measurements on 16-bit PCM for the media tests and benches: levels (RMS,
 * dBov, one component in dBm0), the largest sample-to-sample step (clicks) and
 * the signal-to-noise ratio of a processed signal against its reference.
 */
import { dbm0ForSineAmplitude } from '../../../firmware/media/tones/dbm0.ts';
import { SingleBinDft } from './single-bin-dft.ts';

/** Largest |x[i] − x[i−1]| over [from, to): a click shows up as a step far above what the signal itself makes. */
export function maxStep(pcm: ArrayLike<number>, from = 1, to = pcm.length): number {
  let max = 0;
  for (let i = Math.max(1, from); i < to; i++) max = Math.max(max, Math.abs((pcm[i] ?? 0) - (pcm[i - 1] ?? 0)));
  return max;
}

export function rms(pcm: ArrayLike<number>, from = 0, to = pcm.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (pcm[i] ?? 0) * (pcm[i] ?? 0);
  return to > from ? Math.sqrt(sum / (to - from)) : 0;
}

/** RMS in dBov: 0 dBov = full-scale square wave (RMS 32767), RFC 3389 §3.1. */
export function rmsDbov(pcm: ArrayLike<number>, from = 0, to = pcm.length): number {
  return 20 * Math.log10(Math.max(rms(pcm, from, to), 1e-9) / 32767);
}

/** Level in dBm0 of the component at `frequencyHz` in samples [start, start+length) (default: all of them). */
export function componentLevelDbm0(samples: ArrayLike<number>, options: { frequencyHz: number; sampleRateHz: number; start?: number; length?: number }): number {
  const start = options.start ?? 0;
  const length = options.length ?? samples.length - start;
  return dbm0ForSineAmplitude(new SingleBinDft(samples, options).amplitude(start, start + length));
}

/** Plain SNR of `output` against `reference`, sample by sample, no alignment. */
export function snrDb(reference: Int16Array, output: Int16Array): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) {
    const wanted = reference[i]!;
    const error = (output[i] ?? 0) - wanted;
    signal += wanted * wanted;
    noise += error * error;
  }
  return noise === 0 ? Infinity : 10 * Math.log10(signal / noise);
}

export interface SnrResult {
  readonly snrDb: number;
  /** Samples by which `output` lags `reference`. */
  readonly delaySamples: number;
}

/**
 * SNR of `output` against `reference` after finding the codec delay (0..maxDelay
 * samples, best match), over reference[skip .. end − maxDelay].
 */
export function snrWithDelay(reference: Int16Array, output: Int16Array, options: { maxDelaySamples: number; skipSamples: number }): SnrResult {
  const end = Math.min(reference.length, output.length) - options.maxDelaySamples;
  let best: SnrResult = { snrDb: -Infinity, delaySamples: 0 };
  for (let delay = 0; delay <= options.maxDelaySamples; delay++) {
    let signal = 0;
    let noise = 0;
    for (let i = options.skipSamples; i < end; i++) {
      const wanted = reference[i]!;
      const error = output[i + delay]! - wanted;
      signal += wanted * wanted;
      noise += error * error;
    }
    const snrDb = noise === 0 ? Infinity : 10 * Math.log10(signal / noise);
    if (snrDb > best.snrDb) best = { snrDb, delaySamples: delay };
  }
  return best;
}
