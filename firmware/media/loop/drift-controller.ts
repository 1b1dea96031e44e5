export interface DriftControllerOptions {
  readonly sampleRateHz: number;
  /** Queue level the controller steers to, in samples. */
  readonly targetSamples: number;
  /** A level error is corrected over about this long. Default 5000 ms. */
  readonly correctionMs?: number;
  /** Smoothing of the level measurement (it saw-tooths by a frame as device and loop phases slide). Default 1000 ms. */
  readonly levelSmoothingMs?: number;
  /** Largest correction of the step, either way. Default 0.01 (1 %). */
  readonly maxCorrection?: number;
}

/**
 * Turns a measured device rate and a queue level into a resampling ratio:
 * feed-forward from the rate (exact when the estimate is), plus a gentle
 * proportional pull of the smoothed level towards its target (which also
 * does all the work before the rate is known and absorbs estimate error).
 */
export class DriftController {
  private smoothedLevel: number | undefined;

  constructor(private readonly options: DriftControllerOptions) {}

  /** Feeds one level measurement taken `elapsedMs` after the previous one. */
  observeLevel(levelSamples: number, elapsedMs: number): void {
    if (this.smoothedLevel === undefined) {
      this.smoothedLevel = levelSamples;
      return;
    }
    const alpha = Math.min(1, elapsedMs / (this.options.levelSmoothingMs ?? 1000));
    this.smoothedLevel += (levelSamples - this.smoothedLevel) * alpha;
  }

  get level(): number | undefined {
    return this.smoothedLevel;
  }

  /**
   * Relative level correction: positive when the queue is above target
   * (drain faster), bounded by `maxCorrection`.
   */
  correction(): number {
    if (this.smoothedLevel === undefined) return 0;
    const errorSeconds = (this.smoothedLevel - this.options.targetSamples) / this.options.sampleRateHz;
    const correction = errorSeconds / ((this.options.correctionMs ?? 5000) / 1000);
    const bound = this.options.maxCorrection ?? 0.01;
    return Math.max(-bound, Math.min(bound, correction));
  }
}
