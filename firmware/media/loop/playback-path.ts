import type { AudioSink } from '../../../hal/audio/audio-device.ts';
import { FrameAssembler } from '../../../hal/audio/frame-assembler.ts';
import type { Logger } from '../../log/logger.ts';
import { DriftController } from './drift-controller.ts';
import { LinearResampler } from './linear-resampler.ts';
import { RateEstimator } from './rate-estimator.ts';

export interface PlaybackPathOptions {
  readonly sink: AudioSink;
  readonly logger: Logger;
  readonly compensate: boolean;
  /** Queue level (device buffer + our partial frame) steered to, in samples, measured right after each tick's write. */
  readonly targetSamples: number;
  /**
   * Where the device rate comes from when the sink cannot report its play
   * position (the ALSA sink): usually the capture side of the same card.
   */
  readonly fallbackRatio?: () => number | undefined;
  readonly rateWindowMs?: number;
  readonly correctionMs?: number;
}

export interface PlaybackPathStats {
  /** `device`: frames requested when the device needs them; `system`: one per system-clock tick, resampled. */
  readonly pacing: 'device' | 'system';
  readonly deviceDeviationPpm: number | undefined;
  /** Undefined when the sink cannot report its buffer. */
  readonly levelSamples: number | undefined;
  readonly minLevelSamples: number | undefined;
  readonly maxLevelSamples: number | undefined;
  readonly underruns: number;
  readonly overruns: number;
  readonly resamplerAdjustSamples: number;
  readonly framesWritten: number;
  /** Device pacing: how far ahead of the device running dry each frame is written, ms (raised after underruns). */
  readonly leadMs: number | undefined;
}

/**
 * The device's play position in samples: written minus still buffered when
 * the sink reports its delay (exact to the sample), else what it says it
 * played (whole frames on the simulated sink, which takes seconds to show a
 * 0.5 % rate), else undefined.
 */
export function playPosition(sink: AudioSink, acceptedSamples: number): number | undefined {
  const buffered = sink.bufferedSamples();
  return buffered === undefined ? sink.playedSamples() : acceptedSamples - buffered;
}

/**
 * System pacing (and the fallback for a sink that cannot report its delay):
 * one frame per loop tick → resampler → whole frames to the sink. The
 * resampling step follows the device's measured consumption rate (its play
 * position over time) and the device buffer level, so the buffer neither
 * runs dry (underruns) nor fills up (latency, overruns).
 */
export class PlaybackPath {
  private readonly resampler = new LinearResampler();
  private readonly assembler: FrameAssembler;
  private readonly estimator: RateEstimator;
  private readonly controller: DriftController;
  private step = 1;
  private consumedInput = 0;
  private producedOutput = 0;
  private framesWritten = 0;
  private droppedSamples = 0;
  private underruns = 0;
  private overruns = 0;
  private minLevel = Number.POSITIVE_INFINITY;
  private maxLevel = 0;
  private readonly unsubscribe: Array<() => void>;

  constructor(private readonly options: PlaybackPathOptions) {
    const { format } = options.sink;
    this.assembler = new FrameAssembler(format.frameSamples);
    this.estimator = new RateEstimator({
      nominalRateHz: format.sampleRateHz,
      ...(options.rateWindowMs === undefined ? {} : { windowMs: options.rateWindowMs }),
    });
    this.controller = new DriftController({
      sampleRateHz: format.sampleRateHz,
      targetSamples: options.targetSamples,
      ...(options.correctionMs === undefined ? {} : { correctionMs: options.correctionMs }),
    });
    this.unsubscribe = [
      options.sink.on('underrun', () => this.underruns++),
      options.sink.on('overrun', (event) => {
        this.overruns++;
        this.droppedSamples += event.droppedSamples;
      }),
    ];
  }

  /**
   * Fills the queue with silence to the target less the frame the first tick
   * brings, so the first ticks do not underrun and the level starts on target.
   */
  prime(): void {
    const frameSamples = this.options.sink.format.frameSamples;
    this.writeSamples(new Int16Array(Math.max(frameSamples, Math.round(this.options.targetSamples - frameSamples))));
  }

  /** This tick's frame (from the jitter buffer, or silence). */
  push(frame: Int16Array, nowMs: number, periodMs: number): void {
    const { sink } = this.options;
    const played = playPosition(sink, this.framesWritten * sink.format.frameSamples - this.droppedSamples);
    if (played !== undefined) this.estimator.observe(nowMs, played);
    const before = this.resampler.availableInput;
    this.resampler.push(frame);
    const output = this.resampler.pullAll(this.step);
    this.consumedInput += before + frame.length - this.resampler.availableInput;
    this.producedOutput += output.length;
    this.writeSamples(output);

    const buffered = sink.bufferedSamples();
    if (buffered !== undefined) {
      const level = buffered + this.assembler.pendingSamples + this.resampler.availableInput;
      this.minLevel = Math.min(this.minLevel, level);
      this.maxLevel = Math.max(this.maxLevel, level);
      this.controller.observeLevel(level, periodMs);
    }
    if (this.options.compensate) {
      const ratio = this.estimator.ratio() ?? this.options.fallbackRatio?.() ?? 1;
      // Input per output sample: 1/ratio feeds a fast device more samples; a full buffer gets fewer.
      this.step = (1 / ratio) * (1 + this.controller.correction());
    }
  }

  stats(): PlaybackPathStats {
    const buffered = this.options.sink.bufferedSamples();
    const known = buffered !== undefined;
    return {
      pacing: 'system',
      deviceDeviationPpm: this.estimator.deviationPpm(),
      levelSamples: known ? buffered + this.assembler.pendingSamples + this.resampler.availableInput : undefined,
      minLevelSamples: known && Number.isFinite(this.minLevel) ? this.minLevel : undefined,
      maxLevelSamples: known ? this.maxLevel : undefined,
      underruns: this.underruns,
      overruns: this.overruns,
      resamplerAdjustSamples: Math.round(this.producedOutput - this.consumedInput),
      framesWritten: this.framesWritten,
      leadMs: undefined,
    };
  }

  resetLevelMarks(): void {
    this.minLevel = Number.POSITIVE_INFINITY;
    this.maxLevel = 0;
  }

  close(): void {
    for (const off of this.unsubscribe) off();
  }

  private writeSamples(samples: Int16Array): void {
    for (const frame of this.assembler.push(samples)) {
      this.options.sink.write(frame);
      this.framesWritten++;
    }
  }
}
