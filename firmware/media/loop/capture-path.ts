import type { Logger } from '../../log/logger.ts';
import type { AudioFormat } from '../../../hal/audio/audio-device.ts';
import { LinearResampler } from './linear-resampler.ts';
import { RateEstimator } from './rate-estimator.ts';

export interface CapturePathOptions {
  readonly format: AudioFormat;
  readonly logger: Logger;
  /**
   * false (device pacing): every device frame is handed on as delivered, so
   * the encoder runs on the device's sample clock. true (system pacing):
   * resampled to the nominal rate on the system clock, by the measured rate.
   */
  readonly resample: boolean;
  readonly rateWindowMs?: number;
}

export interface CapturePathStats {
  /** Device rate deviation from nominal measured so far, ppm (undefined until measured). */
  readonly deviceDeviationPpm: number | undefined;
  /** Samples left in the resampler after the last hand-off (0 without resampling). */
  readonly levelSamples: number;
  readonly minLevelSamples: number;
  readonly maxLevelSamples: number;
  readonly framesDelivered: number;
  readonly framesHandedOff: number;
  /** Output minus input samples through the resampler: > 0 inserted, < 0 dropped. */
  readonly resamplerAdjustSamples: number;
}

/**
 * Device capture → frames for the encoder, event-driven: a frame is handed on
 * the moment the device delivers it, never held for a loop tick.
 *
 * With `resample`, the frames are converted to the nominal rate with the
 * device's measured rate (feed-forward: the resampler's level is bounded by
 * construction, below one frame plus a sample, because every whole frame it
 * can make is handed on at once). The price of converting between two
 * clocks in whole frames: which device delivery completes a nominal frame
 * slides through the device period, so a sample waits 0 to 1 device period
 * more (half on average) with a device off the system clock.
 */
export class CapturePath {
  private readonly resampler = new LinearResampler();
  private readonly estimator: RateEstimator;
  private deliveredSamples = 0;
  private delivered = 0;
  private handedOff = 0;
  private consumedInput = 0;
  private producedOutput = 0;
  private minLevel = Number.POSITIVE_INFINITY;
  private maxLevel = 0;

  constructor(private readonly options: CapturePathOptions) {
    this.estimator = new RateEstimator({
      nominalRateHz: options.format.sampleRateHz,
      ...(options.rateWindowMs === undefined ? {} : { windowMs: options.rateWindowMs }),
    });
  }

  /** A frame from the device at `nowMs`; returns the frames ready for the encoder now (usually one). */
  deliver(samples: Int16Array, nowMs: number): Int16Array[] {
    this.deliveredSamples += samples.length;
    this.delivered++;
    this.estimator.observe(nowMs, this.deliveredSamples);
    if (!this.options.resample) {
      this.handedOff++;
      this.noteLevel(0);
      return [samples];
    }
    const frameSamples = this.options.format.frameSamples;
    // Input per output sample: the device's measured rate (1 until measured).
    const step = this.estimator.ratio() ?? 1;
    this.resampler.push(samples);
    const frames: Int16Array[] = [];
    for (;;) {
      const before = this.resampler.availableInput;
      const frame = this.resampler.pull(frameSamples, step);
      if (!frame) break;
      this.consumedInput += before - this.resampler.availableInput;
      this.producedOutput += frameSamples;
      frames.push(frame);
    }
    this.handedOff += frames.length;
    this.noteLevel(this.resampler.availableInput);
    return frames;
  }

  /** The device's rate / nominal, when measured. */
  deviceRatio(): number | undefined {
    return this.estimator.ratio();
  }

  stats(): CapturePathStats {
    return {
      deviceDeviationPpm: this.estimator.deviationPpm(),
      levelSamples: this.resampler.availableInput,
      minLevelSamples: Number.isFinite(this.minLevel) ? this.minLevel : 0,
      maxLevelSamples: this.maxLevel,
      framesDelivered: this.delivered,
      framesHandedOff: this.handedOff,
      resamplerAdjustSamples: Math.round(this.producedOutput - this.consumedInput),
    };
  }

  /** Resets the min/max level marks (after warm-up). */
  resetLevelMarks(): void {
    this.minLevel = Number.POSITIVE_INFINITY;
    this.maxLevel = 0;
  }

  private noteLevel(level: number): void {
    this.minLevel = Math.min(this.minLevel, level);
    this.maxLevel = Math.max(this.maxLevel, level);
  }
}
