import type { Clock } from '../../../firmware/core/clock.ts';
import type { Unsubscribe } from '../../../firmware/core/typed-emitter.ts';
import { silentLogger, type Logger } from '../../../firmware/log/logger.ts';
import type { AudioFormat, AudioSource, AudioSourceEvent, AudioStreamState } from '../audio-device.ts';
import { frameDurationMs } from '../audio-format.ts';
import { PacedTicker } from '../paced-ticker.ts';
import { StreamCore } from '../stream-core.ts';

export interface PacedSourceOptions {
  readonly device: string;
  readonly format: AudioFormat;
  readonly clock: Clock;
  readonly logger?: Logger;
  /**
   * How far the simulated device's sample clock runs from the system clock,
   * in parts per million: +5000 delivers frames 0.5 % fast. Default 0.
   */
  readonly clockSkewPpm?: number;
  /** Frames kept for `deliveredFrames()` (the most recent ones). Default 3000 (60 s of 20 ms frames). */
  readonly maxRecordedFrames?: number;
}

type EventOf<T extends AudioSourceEvent['type']> = Extract<AudioSourceEvent, { type: T }>;

/**
 * A simulated capture device paced by the `Clock`: one frame every frame
 * period of its own (possibly skewed) sample clock. Subclasses say what the
 * device hears (`produceFrame`); the test hook `injectAudio()` overrides it
 * frame by frame. Same contract as the ALSA source.
 */
export abstract class PacedSource implements AudioSource {
  protected readonly core: StreamCore<AudioSourceEvent>;
  protected readonly logger: Logger;
  private readonly ticker: PacedTicker;
  private readonly injected: Int16Array[] = [];
  private readonly delivered: Int16Array[] = [];
  private deliveredCount = 0;
  private ended = false;

  constructor(protected readonly options: PacedSourceOptions) {
    this.logger = options.logger ?? silentLogger;
    this.core = new StreamCore({ device: options.device, format: options.format, direction: 'capture', logger: this.logger });
    const skew = 1 + (options.clockSkewPpm ?? 0) / 1e6;
    this.ticker = new PacedTicker({
      clock: options.clock,
      periodMs: frameDurationMs(options.format) / skew,
      onTick: () => this.tick(),
      // A simulated device has no backlog to lose: catch up whatever the event loop missed.
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

  on<T extends AudioSourceEvent['type']>(type: T, listener: (event: EventOf<T>) => void): Unsubscribe {
    return this.core.on(type, listener);
  }

  async start(): Promise<void> {
    await this.core.runStart(() => this.open());
    this.ticker.start();
  }

  async stop(): Promise<void> {
    this.core.beginStop();
    this.ticker.stop();
    await this.close();
    this.core.endStop();
  }

  /** Test hook: the next frame(s) delivered are these, in order, instead of what the device generates. */
  injectAudio(frame: Int16Array): void {
    this.core.checkFrame(frame, 'injectAudio()');
    this.injected.push(Int16Array.from(frame));
  }

  /** Test hook: the most recent frames delivered (copies). */
  deliveredFrames(): Int16Array[] {
    return this.delivered.map((frame) => Int16Array.from(frame));
  }

  /** Frames delivered since start. */
  get deliveredFrameCount(): number {
    return this.deliveredCount;
  }

  /** Opens whatever backs the device (a file); rejects with an AudioDeviceError. */
  protected async open(): Promise<void> {}

  protected async close(): Promise<void> {}

  /** The next frame the device hears, or undefined when it has nothing more (end of a file). */
  protected abstract produceFrame(): Int16Array | undefined;

  private tick(): void {
    if (this.ended) return;
    const frame = this.injected.shift() ?? this.produceFrame();
    if (!frame) {
      this.ended = true;
      this.ticker.stop();
      this.core.emit({ type: 'ended', device: this.device });
      return;
    }
    this.deliveredCount++;
    this.delivered.push(frame);
    if (this.delivered.length > (this.options.maxRecordedFrames ?? 3000)) this.delivered.shift();
    this.core.emit({ type: 'frame', device: this.device, samples: Int16Array.from(frame) });
  }
}
