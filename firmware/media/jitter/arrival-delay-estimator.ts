/**
 * Estimates how much play-out delay the network needs, from packet arrivals.
 *
 * In the spirit of WebRTC NetEq's delay manager: each arriving packet's
 * transit time (arrival − media time of its timestamp) is compared with the
 * fastest transit seen in a sliding window (2 s by default); the difference
 * is the packet's *relative delay*. Relative delays go into a histogram whose
 * old mass decays by a forgetting factor on every arrival, and the wanted
 * delay is a high quantile (95th by default) of that histogram.
 *
 * Reacting: a burst of slower packets moves the quantile within a handful of
 * arrivals (with factor 0.993 and quantile 0.95, about 7 packets all landing
 * higher are enough); a calmer network moves it back only as the old mass
 * decays (≈ 400 packets, 8 s at 20 ms packets). So the target rises fast and
 * falls slowly without a separate rate limiter.
 *
 * Clock drift only shifts transit times slowly; the sliding-window minimum
 * follows it, so drift does not inflate the relative delays by more than the
 * drift over one window (0.3 % over 2 s = 6 ms).
 */

export interface ArrivalDelayEstimatorOptions {
  /** Histogram bucket width. */
  readonly bucketMs?: number;
  /** Highest relative delay represented (larger ones land in the last bucket). */
  readonly maxDelayMs?: number;
  /** Per-arrival decay of old histogram mass (0 < f < 1). */
  readonly forgetFactor?: number;
  /** Quantile of the relative delay the buffer should cover. */
  readonly quantile?: number;
  /** Window for the fastest-transit reference. */
  readonly windowMs?: number;
}

interface TransitSample {
  readonly arrivalTimeMs: number;
  readonly transitMs: number;
}

export class ArrivalDelayEstimator {
  private readonly bucketMs: number;
  private readonly forgetFactor: number;
  private readonly quantileLevel: number;
  private readonly windowMs: number;
  private readonly histogram: Float64Array;
  /** Arrivals counted into the histogram (the forgetting factor ramps up over the first ones). */
  private arrivals = 0;
  /** Monotonic deque (increasing transit) for the sliding-window minimum. */
  private window: TransitSample[] = [];

  constructor(options: ArrivalDelayEstimatorOptions = {}) {
    this.bucketMs = options.bucketMs ?? 1;
    this.forgetFactor = options.forgetFactor ?? 0.993;
    this.quantileLevel = options.quantile ?? 0.95;
    this.windowMs = options.windowMs ?? 2000;
    const maxDelayMs = options.maxDelayMs ?? 1000;
    this.histogram = new Float64Array(Math.ceil(maxDelayMs / this.bucketMs) + 1);
  }

  /**
   * Records one arrival; `mediaTimeMs` is the packet's extended timestamp in
   * milliseconds. Returns the packet's relative delay (≥ 0).
   */
  update(arrivalTimeMs: number, mediaTimeMs: number): number {
    const transitMs = arrivalTimeMs - mediaTimeMs;
    while (this.window.length > 0 && this.window[this.window.length - 1]!.transitMs >= transitMs) this.window.pop();
    this.window.push({ arrivalTimeMs, transitMs });
    while (this.window.length > 1 && this.window[0]!.arrivalTimeMs < arrivalTimeMs - this.windowMs) this.window.shift();
    const relativeDelayMs = transitMs - this.window[0]!.transitMs;
    this.addToHistogram(relativeDelayMs);
    return relativeDelayMs;
  }

  /** Transit time of the fastest packet in the window (undefined before the first). */
  fastestTransitMs(): number | undefined {
    return this.window[0]?.transitMs;
  }

  /** The configured quantile of the relative delay (0 before any arrival). */
  quantileMs(): number {
    if (this.arrivals === 0) return 0;
    let total = 0;
    for (const mass of this.histogram) total += mass;
    const wanted = total * this.quantileLevel;
    let cumulative = 0;
    for (let bucket = 0; bucket < this.histogram.length; bucket++) {
      cumulative += this.histogram[bucket]!;
      if (cumulative >= wanted) return (bucket + 1) * this.bucketMs;
    }
    return this.histogram.length * this.bucketMs;
  }

  /** Mean relative delay of the histogram (0 before any arrival). */
  meanMs(): number {
    let total = 0;
    let weighted = 0;
    for (let bucket = 0; bucket < this.histogram.length; bucket++) {
      const mass = this.histogram[bucket]!;
      total += mass;
      weighted += mass * (bucket + 0.5) * this.bucketMs;
    }
    return total > 0 ? weighted / total : 0;
  }

  /** Arrivals recorded so far. */
  get arrivalCount(): number {
    return this.arrivals;
  }

  /** Forgets the transit reference (new SSRC, timestamp jump); the histogram of relative delays stays. */
  resetReference(): void {
    this.window = [];
  }

  private addToHistogram(relativeDelayMs: number): void {
    this.arrivals++;
    // Ramp: the first arrivals weigh as a plain average, then the fixed factor applies.
    const factor = Math.min(this.forgetFactor, 1 - 1 / this.arrivals);
    const bucket = Math.min(this.histogram.length - 1, Math.max(0, Math.floor(relativeDelayMs / this.bucketMs)));
    for (let i = 0; i < this.histogram.length; i++) this.histogram[i] = this.histogram[i]! * factor;
    this.histogram[bucket] = this.histogram[bucket]! + (1 - factor);
  }
}
