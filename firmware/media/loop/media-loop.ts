import type { Clock } from '../../core/clock.ts';
import { silentLogger, type Logger } from '../../log/logger.ts';
import type { AudioFormat, AudioSink, AudioSource } from '../../../hal/audio/audio-device.ts';
import { frameDurationMs } from '../../../hal/audio/audio-format.ts';
import { PacedTicker } from '../../../hal/audio/paced-ticker.ts';
import { CapturePath, type CapturePathStats } from './capture-path.ts';
import { PlaybackPath, type PlaybackPathStats } from './playback-path.ts';

export interface MediaLoopOptions {
  readonly clock: Clock;
  readonly format: AudioFormat;
  /** Started by the caller; the loop only listens to its frames. */
  readonly source?: AudioSource;
  /** Started by the caller; the loop writes to it. */
  readonly sink?: AudioSink;
  /** Each tick: one captured frame of exactly `frameSamples` (silence when the device fell short). */
  readonly onCaptureFrame?: (frame: Int16Array) => void;
  /** Each tick: the frame to play (from the jitter buffer); undefined plays silence. */
  readonly nextPlaybackFrame?: () => Int16Array | undefined;
  /** Category `media.loop` is a good choice. */
  readonly logger?: Logger;
  /** Resample to the devices' measured clocks (default true). */
  readonly driftCompensation?: boolean;
  /** Capture queue target in frames. Default 2. */
  readonly captureTargetFrames?: number;
  /** Playback buffer target (device buffer right after a write) in frames. Default 2.5. */
  readonly playbackTargetFrames?: number;
  /** Capture queue hard bound in frames. Default 10. */
  readonly maxQueueFrames?: number;
  /** Rate estimate memory. Default 30 000 ms. */
  readonly rateWindowMs?: number;
  /** Time constant of the level correction. Default 5000 ms. */
  readonly correctionMs?: number;
}

export interface MediaLoopStats {
  readonly ticks: number;
  readonly skippedTicks: number;
  /** Largest lateness of a tick against its deadline, ms. */
  readonly maxLateMs: number;
  readonly capture: CapturePathStats | undefined;
  readonly playback: PlaybackPathStats | undefined;
}

/**
 * The media loop: one tick per frame period on the monotonic `Clock`,
 * scheduled against absolute deadlines (no drift from timer lateness; more
 * than 5 periods behind, the backlog is skipped). Each tick hands one
 * captured frame to `onCaptureFrame` and writes one frame from
 * `nextPlaybackFrame` to the sink. Devices whose sample clock differs from
 * the system clock are followed by measuring their effective rate and
 * resampling (see capture-path.ts, playback-path.ts), so the queues between
 * device and loop stay bounded.
 */
export class MediaLoop {
  private readonly logger: Logger;
  private readonly ticker: PacedTicker;
  private readonly periodMs: number;
  private capture: CapturePath | undefined;
  private playback: PlaybackPath | undefined;
  private unsubscribeSource: (() => void) | undefined;
  private maxLateMs = 0;

  constructor(private readonly options: MediaLoopOptions) {
    this.logger = options.logger ?? silentLogger;
    this.periodMs = frameDurationMs(options.format);
    this.ticker = new PacedTicker({
      clock: options.clock,
      periodMs: this.periodMs,
      onTick: (_tick, lateMs) => this.tick(lateMs),
      onSkip: (skipped) => this.logger.warn('media loop fell behind, ticks skipped', { skippedTicks: skipped }),
    });
  }

  start(): void {
    if (this.ticker.isRunning) throw new Error('media loop already started');
    const { format, source, sink } = this.options;
    const compensate = this.options.driftCompensation ?? true;
    const common = {
      compensate,
      ...(this.options.rateWindowMs === undefined ? {} : { rateWindowMs: this.options.rateWindowMs }),
      ...(this.options.correctionMs === undefined ? {} : { correctionMs: this.options.correctionMs }),
    };
    if (source) {
      const capture = new CapturePath({
        ...common,
        format,
        logger: this.logger.child('capture'),
        targetSamples: (this.options.captureTargetFrames ?? 2) * format.frameSamples,
        maxSamples: (this.options.maxQueueFrames ?? 10) * format.frameSamples,
      });
      this.capture = capture;
      this.unsubscribeSource = source.on('frame', (event) => capture.deliver(event.samples, this.options.clock.nowMs()));
    }
    if (sink) {
      this.playback = new PlaybackPath({
        ...common,
        sink,
        logger: this.logger.child('playback'),
        targetSamples: (this.options.playbackTargetFrames ?? 2.5) * format.frameSamples,
        fallbackRatio: () => this.capture?.deviceRatio(),
      });
      this.playback.prime();
    }
    this.ticker.start();
    this.logger.info('media loop started', { periodMs: this.periodMs, driftCompensation: compensate });
  }

  stop(): void {
    this.ticker.stop();
    this.unsubscribeSource?.();
    this.unsubscribeSource = undefined;
    this.playback?.close();
    this.logger.info('media loop stopped', { ...this.stats() });
  }

  stats(): MediaLoopStats {
    return {
      ticks: this.ticker.ticks,
      skippedTicks: this.ticker.skippedTicks,
      maxLateMs: this.maxLateMs,
      capture: this.capture?.stats(),
      playback: this.playback?.stats(),
    };
  }

  /** Forgets the min/max queue levels seen so far (call after warm-up to measure steady state). */
  resetLevelMarks(): void {
    this.capture?.resetLevelMarks();
    this.playback?.resetLevelMarks();
  }

  private tick(lateMs: number): void {
    this.maxLateMs = Math.max(this.maxLateMs, lateMs);
    const nowMs = this.options.clock.nowMs();
    if (this.capture) this.options.onCaptureFrame?.(this.capture.pull(this.periodMs));
    if (this.playback) {
      const frame = this.options.nextPlaybackFrame?.() ?? new Int16Array(this.options.format.frameSamples);
      if (frame.length !== this.options.format.frameSamples) {
        throw new RangeError(`nextPlaybackFrame() returned ${frame.length} samples, expected ${this.options.format.frameSamples}`);
      }
      this.playback.push(frame, nowMs, this.periodMs);
    }
  }
}
