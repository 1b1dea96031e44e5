import type { Clock } from '../../core/clock.ts';
import { silentLogger, type Logger } from '../../log/logger.ts';
import type { AudioFormat, AudioSink, AudioSource } from '../../../hal/audio/audio-device.ts';
import { frameDurationMs } from '../../../hal/audio/audio-format.ts';
import { PacedTicker } from '../../../hal/audio/paced-ticker.ts';
import { CapturePath, type CapturePathStats } from './capture-path.ts';
import { DevicePacedPlayback } from './device-paced-playback.ts';
import { PlaybackPath, type PlaybackPathStats } from './playback-path.ts';

/**
 * `device` (default): capture frames go to the encoder as the device
 * delivers them and playback frames are asked for when the device needs
 * them, both on the device's own sample clock (lowest latency; the jitter
 * buffers absorb the clock difference, as they do for any peer). `system`:
 * the loop runs on the system clock and resamples both directions to the
 * devices' measured rates (the jitter buffer is pulled at exactly the
 * nominal rate); costs about a frame more on playback.
 */
export type MediaLoopPacing = 'device' | 'system';

export interface MediaLoopOptions {
  readonly clock: Clock;
  readonly format: AudioFormat;
  /** Started by the caller; the loop only listens to its frames. */
  readonly source?: AudioSource;
  /** Started by the caller; the loop writes to it. */
  readonly sink?: AudioSink;
  /** Each captured frame of exactly `frameSamples`, as soon as the device delivers it. */
  readonly onCaptureFrame?: (frame: Int16Array) => void;
  /** Once per frame the loudspeaker needs: the frame to play (from the jitter buffer); undefined plays silence. */
  readonly nextPlaybackFrame?: () => Int16Array | undefined;
  /** Category `media.loop` is a good choice. */
  readonly logger?: Logger;
  /** Default `device`. A sink that cannot report its delay (ALSA via speaker) is always paced by the system clock. */
  readonly pacing?: MediaLoopPacing;
  /** System pacing: resample to the devices' measured clocks (default true). */
  readonly driftCompensation?: boolean;
  /** Device pacing: a frame is written this long before the device would run dry. Default half a frame (10 ms at 20 ms). */
  readonly playbackLeadMs?: number;
  /** System pacing: queue level (device delay + our partial frame) steered to, in frames. Default 2 + lead (2.5). */
  readonly playbackTargetFrames?: number;
  /** Rate estimate memory. Default 30 000 ms. */
  readonly rateWindowMs?: number;
  /** System pacing: time constant of the level correction. Default 5000 ms. */
  readonly correctionMs?: number;
}

export interface MediaLoopStats {
  /** Frames asked for by the playback side (device pacing), or system-clock ticks. */
  readonly ticks: number;
  readonly skippedTicks: number;
  /** Largest lateness of a tick or wake-up against its deadline, ms. */
  readonly maxLateMs: number;
  readonly capture: CapturePathStats | undefined;
  readonly playback: PlaybackPathStats | undefined;
}

/**
 * The media loop between the audio devices and the media engine.
 *
 * Capture is event-driven: each device frame is handed to `onCaptureFrame`
 * when it arrives (resampled to the nominal rate under system pacing), so it
 * waits for nothing but its own 20 ms of audio.
 *
 * Playback, device-paced: `nextPlaybackFrame` is asked for a frame when the
 * sink's delay has fallen to the lead (see device-paced-playback.ts).
 * System-paced (or a sink without delay reporting): one tick per frame
 * period on the monotonic `Clock` against absolute deadlines (no drift from
 * timer lateness; more than 5 periods behind, the backlog is skipped), the
 * frame resampled to the device's measured rate (see playback-path.ts).
 */
export class MediaLoop {
  private readonly logger: Logger;
  private readonly ticker: PacedTicker;
  private readonly periodMs: number;
  private capture: CapturePath | undefined;
  private playback: PlaybackPath | undefined;
  private devicePlayback: DevicePacedPlayback | undefined;
  private unsubscribeSource: (() => void) | undefined;
  private maxLateMs = 0;
  private running = false;

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
    if (this.running) throw new Error('media loop already started');
    this.running = true;
    const { format, source, sink } = this.options;
    const compensate = this.options.driftCompensation ?? true;
    const leadMs = this.options.playbackLeadMs ?? this.periodMs / 2;
    const rateWindow = this.options.rateWindowMs === undefined ? {} : { rateWindowMs: this.options.rateWindowMs };
    const devicePaced = (this.options.pacing ?? 'device') === 'device';
    if (source) {
      const capture = new CapturePath({ ...rateWindow, format, logger: this.logger.child('capture'), resample: !devicePaced && compensate });
      this.capture = capture;
      this.unsubscribeSource = source.on('frame', (event) => {
        for (const frame of capture.deliver(event.samples, this.options.clock.nowMs())) this.options.onCaptureFrame?.(frame);
      });
    }
    if (sink && devicePaced && sink.bufferedSamples() !== undefined) {
      this.devicePlayback = new DevicePacedPlayback({
        ...rateWindow,
        clock: this.options.clock,
        sink,
        logger: this.logger.child('playback'),
        nextFrame: () => this.nextPlaybackFrame(),
        leadMs,
        maxLeadMs: this.periodMs,
        leadStepMs: this.periodMs / 8,
      });
      this.devicePlayback.start();
    } else if (sink) {
      this.playback = new PlaybackPath({
        ...rateWindow,
        compensate,
        sink,
        logger: this.logger.child('playback'),
        targetSamples: (this.options.playbackTargetFrames ?? 2 + leadMs / this.periodMs) * format.frameSamples,
        fallbackRatio: () => this.capture?.deviceRatio(),
        ...(this.options.correctionMs === undefined ? {} : { correctionMs: this.options.correctionMs }),
      });
      this.playback.prime();
    }
    if (!this.devicePlayback) this.ticker.start();
    this.logger.info('media loop started', {
      periodMs: this.periodMs,
      playbackPacing: this.devicePlayback ? 'device' : 'system',
      captureResampled: !devicePaced && compensate,
      ...(this.devicePlayback ? { leadMs } : {}),
    });
  }

  stop(): void {
    this.running = false;
    this.ticker.stop();
    this.devicePlayback?.stop();
    this.unsubscribeSource?.();
    this.unsubscribeSource = undefined;
    this.playback?.close();
    this.logger.info('media loop stopped', { ...this.stats() });
  }

  stats(): MediaLoopStats {
    const device = this.devicePlayback;
    return {
      ticks: device ? device.ticks : this.ticker.ticks,
      skippedTicks: this.ticker.skippedTicks,
      maxLateMs: device ? device.maxLateMilliseconds : this.maxLateMs,
      capture: this.capture?.stats(),
      playback: device ? device.stats() : this.playback?.stats(),
    };
  }

  /** Forgets the min/max queue levels seen so far (call after warm-up to measure steady state). */
  resetLevelMarks(): void {
    this.capture?.resetLevelMarks();
    this.playback?.resetLevelMarks();
    this.devicePlayback?.resetLevelMarks();
  }

  private nextPlaybackFrame(): Int16Array {
    const frame = this.options.nextPlaybackFrame?.() ?? new Int16Array(this.options.format.frameSamples);
    if (frame.length !== this.options.format.frameSamples) {
      throw new RangeError(`nextPlaybackFrame() returned ${frame.length} samples, expected ${this.options.format.frameSamples}`);
    }
    return frame;
  }

  private tick(lateMs: number): void {
    this.maxLateMs = Math.max(this.maxLateMs, lateMs);
    if (this.playback) this.playback.push(this.nextPlaybackFrame(), this.options.clock.nowMs(), this.periodMs);
  }
}
