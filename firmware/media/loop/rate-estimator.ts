export interface RateEstimatorOptions {
  /** The rate the device claims (8000 Hz). */
  readonly nominalRateHz: number;
  /** Memory of the estimate: older observations fade with this time constant. Default 30 000 ms. */
  readonly windowMs?: number;
  /** No estimate until observations span this long. Default 2000 ms. */
  readonly minSpanMs?: number;
}

/**
 * Measures a device's effective sample rate from (time, samples so far)
 * observations: an exponentially weighted least-squares line through them,
 * so period-sized bursts and delivery jitter average out and a slowly
 * changing clock (temperature) is followed. Reports the rate as a ratio to
 * the nominal rate (1.005 = 0.5 % fast).
 */
export class RateEstimator {
  private originMs: number | undefined;
  private originSamples = 0;
  private lastMs = 0;
  private s0 = 0;
  private st = 0;
  private sc = 0;
  private stt = 0;
  private stc = 0;

  constructor(private readonly options: RateEstimatorOptions) {}

  /** One observation: at `timeMs` the device had delivered (or played) `totalSamples` in all. */
  observe(timeMs: number, totalSamples: number): void {
    if (this.originMs === undefined) {
      this.originMs = timeMs;
      this.originSamples = totalSamples;
      this.lastMs = timeMs;
    }
    const decay = Math.exp(-(timeMs - this.lastMs) / (this.options.windowMs ?? 30_000));
    this.lastMs = timeMs;
    const t = (timeMs - this.originMs) / 1000;
    const c = totalSamples - this.originSamples;
    this.s0 = this.s0 * decay + 1;
    this.st = this.st * decay + t;
    this.sc = this.sc * decay + c;
    this.stt = this.stt * decay + t * t;
    this.stc = this.stc * decay + t * c;
  }

  /** Measured rate in Hz, or undefined while the observations span less than `minSpanMs`. */
  rateHz(): number | undefined {
    if (this.originMs === undefined || this.lastMs - this.originMs < (this.options.minSpanMs ?? 2000)) return undefined;
    const denominator = this.s0 * this.stt - this.st * this.st;
    if (!(denominator > 0)) return undefined;
    return (this.s0 * this.stc - this.st * this.sc) / denominator;
  }

  /** Measured / nominal rate (1.005 = 0.5 % fast), or undefined before there is an estimate or when it is implausible (beyond ±5 %). */
  ratio(): number | undefined {
    const rate = this.rateHz();
    if (rate === undefined) return undefined;
    const ratio = rate / this.options.nominalRateHz;
    return Math.abs(ratio - 1) <= 0.05 ? ratio : undefined;
  }

  /** The deviation in parts per million, or undefined. */
  deviationPpm(): number | undefined {
    const ratio = this.ratio();
    return ratio === undefined ? undefined : (ratio - 1) * 1e6;
  }
}
