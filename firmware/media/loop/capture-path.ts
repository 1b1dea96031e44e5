import type { Logger } from '../../log/logger.ts';
import type { AudioFormat } from '../../../hal/audio/audio-device.ts';
import { DriftController } from './drift-controller.ts';
import { LinearResampler } from './linear-resampler.ts';
import { RateEstimator } from './rate-estimator.ts';

export interface CapturePathOptions {
  readonly format: AudioFormat;
  readonly logger: Logger;
  /** Resample to the measured device rate (default true); false only passes frames through. */
  readonly compensate: boolean;
  readonly targetSamples: number;
  /** Hard bound: above it the oldest samples are dropped back to the target. */
  readonly maxSamples: number;
  readonly rateWindowMs?: number;
  readonly correctionMs?: number;
}

export interface CapturePathStats {
  /** Device rate deviation from nominal measured so far, ppm (undefined until measured). */
  readonly deviceDeviationPpm: number | undefined;
  readonly levelSamples: number;
  readonly minLevelSamples: number;
  readonly maxLevelSamples: number;
  /** Ticks at start-up that sent silence while the queue filled to its target. */
  readonly primingTicks: number;
  /** Ticks (after priming) that found too little captured audio and sent silence instead. */
  readonly starvedTicks: number;
  /** Samples dropped because the queue exceeded its bound. */
  readonly overflowDroppedSamples: number;
  /** Output minus input samples through the resampler: > 0 inserted, < 0 dropped. */
  readonly resamplerAdjustSamples: number;
}

/**
 * Device capture → queue → one frame per loop tick. The device delivers at
 * its own clock; the queue (a resampler's input) absorbs phase, and the
 * resampling step follows the measured device rate so the queue stays near
 * `targetSamples` instead of growing or running dry.
 */
export class CapturePath {
  private readonly resampler = new LinearResampler();
  private readonly estimator: RateEstimator;
  private readonly controller: DriftController;
  private deliveredSamples = 0;
  private consumedInput = 0;
  private producedOutput = 0;
  private starved = 0;
  private primed = false;
  private primingTicks = 0;
  private overflowDropped = 0;
  private minLevel = Number.POSITIVE_INFINITY;
  private maxLevel = 0;

  constructor(private readonly options: CapturePathOptions) {
    this.estimator = new RateEstimator({
      nominalRateHz: options.format.sampleRateHz,
      ...(options.rateWindowMs === undefined ? {} : { windowMs: options.rateWindowMs }),
    });
    this.controller = new DriftController({
      sampleRateHz: options.format.sampleRateHz,
      targetSamples: options.targetSamples,
      ...(options.correctionMs === undefined ? {} : { correctionMs: options.correctionMs }),
    });
  }

  /** A frame from the device at `nowMs`. */
  deliver(samples: Int16Array, nowMs: number): void {
    this.resampler.push(samples);
    this.deliveredSamples += samples.length;
    this.estimator.observe(nowMs, this.deliveredSamples);
    const level = this.resampler.availableInput;
    if (level > this.options.maxSamples) {
      const drop = Math.floor(level - this.options.targetSamples);
      this.resampler.discard(drop);
      this.overflowDropped += drop;
      this.options.logger.warn('capture queue over its bound, oldest samples dropped', { droppedSamples: drop, levelSamples: Math.round(level) });
    }
  }

  /** The device's rate / nominal, when measured. */
  deviceRatio(): number | undefined {
    return this.estimator.ratio();
  }

  /** One frame for this tick (silence when the device has not delivered enough). */
  pull(periodMs: number): Int16Array {
    const frameSamples = this.options.format.frameSamples;
    const level = this.resampler.availableInput;
    this.minLevel = Math.min(this.minLevel, level);
    this.maxLevel = Math.max(this.maxLevel, level);
    if (!this.primed) {
      // Start-up: wait until the queue holds its target once, so the first ticks do not starve.
      if (level < this.options.targetSamples) {
        this.primingTicks++;
        return new Int16Array(frameSamples);
      }
      this.primed = true;
    }
    this.controller.observeLevel(level, periodMs);
    // Input per output sample: the device's rate, nudged to drain (level high) or fill (level low).
    const step = this.options.compensate ? (this.estimator.ratio() ?? 1) * (1 + this.controller.correction()) : 1;
    const before = this.resampler.availableInput;
    const frame = this.resampler.pull(frameSamples, step);
    if (!frame) {
      this.starved++;
      if (this.starved === 1 || this.starved % 100 === 0) {
        this.options.logger.debug('capture queue ran dry, silence sent', { starvedTicks: this.starved, levelSamples: Math.round(level) });
      }
      return new Int16Array(frameSamples);
    }
    this.consumedInput += before - this.resampler.availableInput;
    this.producedOutput += frameSamples;
    return frame;
  }

  stats(): CapturePathStats {
    return {
      deviceDeviationPpm: this.estimator.deviationPpm(),
      levelSamples: this.resampler.availableInput,
      minLevelSamples: Number.isFinite(this.minLevel) ? this.minLevel : 0,
      maxLevelSamples: this.maxLevel,
      primingTicks: this.primingTicks,
      starvedTicks: this.starved,
      overflowDroppedSamples: this.overflowDropped,
      resamplerAdjustSamples: Math.round(this.producedOutput - this.consumedInput),
    };
  }

  /** Resets the min/max level marks (after warm-up). */
  resetLevelMarks(): void {
    this.minLevel = Number.POSITIVE_INFINITY;
    this.maxLevel = 0;
  }
}
