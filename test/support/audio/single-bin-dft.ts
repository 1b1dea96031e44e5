/**
 * The DFT of a signal at one frequency, kept as running sums from the first
 * sample, so the component's amplitude over any window costs two subtractions.
 * Written from the definition (Σ x[n]·e^(−jωn)) rather than with the
 * firmware's Goertzel filter, so tests of the DTMF detector (which is built on
 * that filter) do not measure their signals with the arithmetic under test.
 */
export class SingleBinDft {
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(samples: ArrayLike<number>, options: { readonly frequencyHz: number; readonly sampleRateHz: number }) {
    const n = samples.length;
    this.re = new Float64Array(n + 1);
    this.im = new Float64Array(n + 1);
    const omega = (2 * Math.PI * options.frequencyHz) / options.sampleRateHz;
    for (let i = 0; i < n; i++) {
      const x = samples[i] ?? 0;
      this.re[i + 1] = (this.re[i] ?? 0) + x * Math.cos(omega * i);
      this.im[i + 1] = (this.im[i] ?? 0) - x * Math.sin(omega * i);
    }
  }

  /** Samples the sums cover. */
  get length(): number {
    return this.re.length - 1;
  }

  /**
   * Peak amplitude of the component over samples [from, to) (clamped to the
   * signal; missing samples count as zeros), as 2·|X|/N with N = `windowSamples`
   * (default to − from): a sine of amplitude A reads ≈ A.
   */
  amplitude(from: number, to: number, windowSamples = to - from): number {
    if (windowSamples <= 0) return 0;
    const lo = Math.max(0, Math.min(this.length, from));
    const hi = Math.max(lo, Math.min(this.length, to));
    return (2 * Math.hypot((this.re[hi] ?? 0) - (this.re[lo] ?? 0), (this.im[hi] ?? 0) - (this.im[lo] ?? 0))) / windowSamples;
  }
}
