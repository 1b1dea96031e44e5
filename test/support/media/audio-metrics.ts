/** Measurements on PCM used by the media tests. */

/** Largest |x[i] − x[i−1]| over [from, to). */
export function maxStep(pcm: ArrayLike<number>, from = 1, to = pcm.length): number {
  let max = 0;
  for (let i = Math.max(1, from); i < to; i++) max = Math.max(max, Math.abs(pcm[i]! - pcm[i - 1]!));
  return max;
}

export function rms(pcm: ArrayLike<number>, from = 0, to = pcm.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += pcm[i]! * pcm[i]!;
  return to > from ? Math.sqrt(sum / (to - from)) : 0;
}

/** RMS in dBov: 0 dBov = full-scale square wave (RMS 32767), RFC 3389 §3.1. */
export function rmsDbov(pcm: ArrayLike<number>, from = 0, to = pcm.length): number {
  return 20 * Math.log10(Math.max(rms(pcm, from, to), 1e-9) / 32767);
}

export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}
