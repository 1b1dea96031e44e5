/**
 * A streaming FIR low-pass (Blackman-windowed sinc, unity gain at DC): the
 * anti-aliasing filter in front of a rate reduction and the anti-imaging
 * filter behind a rate increase. Pure; keeps `taps − 1` samples of history,
 * so the delay is (taps − 1) / 2 samples.
 */
export interface LowPassFilterOptions {
  readonly sampleRateHz: number;
  readonly cutoffHz: number;
  /** Odd tap count; the transition band is about 5.5 × sampleRateHz / taps wide. */
  readonly taps: number;
}

export class LowPassFilter {
  private readonly coefficients: Float64Array;
  private readonly history: Float64Array;

  constructor(options: LowPassFilterOptions) {
    const { sampleRateHz, cutoffHz, taps } = options;
    if (!Number.isInteger(taps) || taps < 3 || taps % 2 === 0) throw new RangeError(`tap count must be an odd integer ≥ 3: ${taps}`);
    if (!(cutoffHz > 0 && cutoffHz < sampleRateHz / 2)) throw new RangeError(`cutoff ${cutoffHz} Hz is outside (0, ${sampleRateHz / 2}) Hz`);
    const fc = cutoffHz / sampleRateHz;
    const middle = (taps - 1) / 2;
    const coefficients = new Float64Array(taps);
    let sum = 0;
    for (let i = 0; i < taps; i++) {
      const n = i - middle;
      const sinc = n === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * n) / (Math.PI * n);
      const window = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (taps - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (taps - 1));
      coefficients[i] = sinc * window;
      sum += sinc * window;
    }
    for (let i = 0; i < taps; i++) coefficients[i] = (coefficients[i] as number) / sum;
    this.coefficients = coefficients;
    this.history = new Float64Array(taps - 1);
  }

  /** Filters a block; the output has the block's length. */
  process(input: ArrayLike<number>): Float64Array {
    const taps = this.coefficients.length;
    const keep = taps - 1;
    const extended = new Float64Array(keep + input.length);
    extended.set(this.history);
    for (let i = 0; i < input.length; i++) extended[keep + i] = input[i] as number;
    const out = new Float64Array(input.length);
    for (let i = 0; i < input.length; i++) {
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += (this.coefficients[k] as number) * (extended[i + k] as number);
      out[i] = acc;
    }
    this.history.set(extended.subarray(extended.length - keep));
    return out;
  }
}
