/**
 * Linear cross-fade of two equally long segments: starts (almost) at `from`,
 * ends (almost) at `to`. The weights never reach exactly 0 or 1 inside the
 * segment, so the samples before and after join both signals continuously.
 */
export function crossfade(from: Float32Array, to: Float32Array): Float32Array {
  const length = Math.min(from.length, to.length);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const weightTo = (i + 1) / (length + 1);
    out[i] = from[i]! * (1 - weightTo) + to[i]! * weightTo;
  }
  return out;
}
