import type { Clock } from '../../../firmware/core/clock.ts';
import type { Unsubscribe } from '../../../firmware/core/typed-emitter.ts';
import { silentLogger, type Logger } from '../../../firmware/log/logger.ts';
import type { AudioFormat, AudioSink, AudioSinkEvent, AudioStreamState } from '../audio-device.ts';
import { frameDurationMs } from '../audio-format.ts';
import { PacedTicker } from '../paced-ticker.ts';
import { StreamCore } from '../stream-core.ts';

export interface PacedSinkOptions {
  readonly device: string;
  readonly format: AudioFormat;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Device sample clock vs system clock, ppm: +5000 plays 0.5 % fast. Default 0. */
  readonly clockSkewPpm?: number;
  /** Device buffer in frames; a write into a full buffer is dropped (`overrun`). Default 10 (200 ms at 20 ms). */
  readonly bufferFrames?: number;
  /** Frames kept for `recordedFrames()` (the most recent ones). Default 3000. */
  readonly maxRecordedFrames?: number;
}

type EventOf<T extends AudioSinkEvent['type']> = Extract<AudioSinkEvent, { type: T }>;

/**
 * A simulated playback device paced by the `Clock`. It behaves like an ALSA
 * PCM with start threshold 1: playing starts with the first write and
 * consumes one frame per period of its own (possibly skewed) sample clock;
 * when the buffer runs dry it reports an `underrun` and stops until the next
 * write; a write into a full buffer is dropped with an `overrun`.
 * Subclasses receive what is played (`played`), e.g. to write a WAV file.
 */
export abstract class PacedSink implements AudioSink {
  protected readonly core: StreamCore<AudioSinkEvent>;
  protected readonly logger: Logger;
  private readonly ticker: PacedTicker;
  private readonly queue: Int16Array[] = [];
  private readonly recorded: Int16Array[] = [];
  private played = 0;
  /** When the frame now playing was taken off the buffer (undefined while stopped). */
  private playingSinceMs: number | undefined;
  private readonly periodMs: number;
  private underruns = 0;
  private overruns = 0;

  constructor(protected readonly options: PacedSinkOptions) {
    this.logger = options.logger ?? silentLogger;
    this.core = new StreamCore({ device: options.device, format: options.format, direction: 'playback', logger: this.logger });
    const skew = 1 + (options.clockSkewPpm ?? 0) / 1e6;
    this.periodMs = frameDurationMs(options.format) / skew;
    this.ticker = new PacedTicker({
      clock: options.clock,
      periodMs: this.periodMs,
      onTick: () => this.consume(),
      maxCatchUpTicks: Number.POSITIVE_INFINITY,
    });
  }

  get device(): string {
    return this.options.device;
  }

  get format(): AudioFormat {
    return this.options.format;
  }

  get state(): AudioStreamState {
    return this.core.state;
  }

  on<T extends AudioSinkEvent['type']>(type: T, listener: (event: EventOf<T>) => void): Unsubscribe {
    return this.core.on(type, listener);
  }

  async start(): Promise<void> {
    await this.core.runStart(() => this.open());
  }

  async stop(): Promise<void> {
    this.core.beginStop();
    this.ticker.stop();
    this.playingSinceMs = undefined;
    await this.close();
    this.core.endStop();
  }

  write(frame: Int16Array): void {
    this.core.assertRunning('write()');
    this.core.checkFrame(frame, 'write()');
    if (this.queue.length >= (this.options.bufferFrames ?? 10)) {
      this.overruns++;
      this.logger.warn('playback buffer full, frame dropped', { device: this.device, overruns: this.overruns });
      this.core.emit({
        type: 'overrun',
        device: this.device,
        message: `${this.core.label}: buffer full, ${frame.length} samples dropped`,
        droppedSamples: frame.length,
      });
      return;
    }
    this.queue.push(Int16Array.from(frame));
    // Start threshold 1: the device starts (or restarts after an underrun) with the first queued frame.
    if (!this.ticker.isRunning) this.ticker.start();
  }

  playedSamples(): number {
    return this.played * this.format.frameSamples;
  }

  /**
   * Samples written and not played yet, like ALSA's `snd_pcm_delay()`: the
   * queued frames plus what is left of the frame playing now (the device
   * plays a frame over one period of its own clock).
   */
  bufferedSamples(): number {
    const frameSamples = this.format.frameSamples;
    let playing = 0;
    if (this.playingSinceMs !== undefined) {
      const elapsed = (this.options.clock.nowMs() - this.playingSinceMs) / this.periodMs;
      playing = Math.max(0, Math.min(1, 1 - elapsed)) * frameSamples;
    }
    return this.queue.length * frameSamples + playing;
  }

  get underrunCount(): number {
    return this.underruns;
  }

  get overrunCount(): number {
    return this.overruns;
  }

  /** Test hook: the most recent frames played, in order (copies). */
  recordedFrames(): Int16Array[] {
    return this.recorded.map((frame) => Int16Array.from(frame));
  }

  protected async open(): Promise<void> {}

  protected async close(): Promise<void> {}

  /** One frame reached the (simulated) loudspeaker. */
  protected onPlayed(_frame: Int16Array): void {}

  private consume(): void {
    const frame = this.queue.shift();
    if (!frame) {
      this.underruns++;
      this.playingSinceMs = undefined;
      this.ticker.stop();
      this.logger.warn('playback underrun, device stops until the next write', { device: this.device, underruns: this.underruns });
      this.core.emit({ type: 'underrun', device: this.device, message: `${this.core.label}: underrun (buffer ran dry)` });
      return;
    }
    this.played++;
    this.playingSinceMs = this.options.clock.nowMs();
    this.recorded.push(frame);
    if (this.recorded.length > (this.options.maxRecordedFrames ?? 3000)) this.recorded.shift();
    this.onPlayed(frame);
  }
}
