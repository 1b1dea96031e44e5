import { systemClock, type Clock } from '../../../firmware/core/clock.ts';
import type { Unsubscribe } from '../../../firmware/core/typed-emitter.ts';
import { silentLogger, type Logger } from '../../../firmware/log/logger.ts';
import { AudioDeviceError } from '../audio-device-error.ts';
import type { AudioFormat, AudioSink, AudioSinkEvent, AudioStreamState } from '../audio-device.ts';
import { StreamCore } from '../stream-core.ts';
import type { SpeakerConstructor, SpeakerInstance } from './alsa-native.d.ts';
import { loadNativeModule } from './load-native-module.ts';
import { probePlaybackDevice } from './probe-playback-device.ts';

export interface AlsaSinkOptions {
  /** ALSA PCM name: `default`, `plughw:CARD=Device`, `hw:1,0`. */
  readonly device: string;
  readonly format: AudioFormat;
  readonly clock?: Clock;
  /** Category `hal.audio.alsa` is a good choice. */
  readonly logger?: Logger;
  /**
   * Frames handed to ALSA but not yet written (speaker's worker thread is
   * busy); beyond this a write is dropped with an `overrun`. Default 10.
   */
  readonly maxPendingFrames?: number;
  /** Skip the child-process probe (only when the caller knows speaker loads safely). Default false. */
  readonly skipProbe?: boolean;
  /** Package name, for tests of the "module missing" path. Default `speaker`. */
  readonly speakerModule?: string;
  /** How long `stop()` waits for pending writes. Default 2000 ms. */
  readonly drainTimeoutMs?: number;
}

type EventOf<T extends AudioSinkEvent['type']> = Extract<AudioSinkEvent, { type: T }>;

/**
 * ALSA playback through the optional `speaker` module (mpg123's ALSA output:
 * S16 native-endian, start threshold 1, 0.5 s ring buffer, EPIPE underruns
 * re-prepared inside the module).
 *
 * `speaker` opens ALSA's "default" PCM when it is loaded and aborts the
 * process if that fails, so `start()` first probes in a child process that
 * the module loads and the configured device opens; only then is the module
 * imported. Latency is set by how far ahead the caller writes (the media loop
 * keeps ~2 frames), not by speaker's buffer size.
 *
 * speaker reports no underruns of its own, so they are estimated: when the
 * samples written since the last (re)start are fewer than the nominal rate
 * times the time elapsed, the device must have run dry; that is logged and
 * reported, and the estimate re-anchored.
 */
export class AlsaSink implements AudioSink {
  private readonly core: StreamCore<AudioSinkEvent>;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private speaker: SpeakerInstance | undefined;
  private pendingWrites = 0;
  private drained: (() => void) | undefined;
  private anchorMs: number | undefined;
  private samplesSinceAnchor = 0;
  private underruns = 0;

  constructor(private readonly options: AlsaSinkOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.core = new StreamCore({ device: options.device, format: options.format, direction: 'playback', logger: this.logger });
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

  get underrunCount(): number {
    return this.underruns;
  }

  on<T extends AudioSinkEvent['type']>(type: T, listener: (event: EventOf<T>) => void): Unsubscribe {
    return this.core.on(type, listener);
  }

  async start(): Promise<void> {
    this.core.beginStart();
    const specifier = this.options.speakerModule ?? 'speaker';
    try {
      if (!this.options.skipProbe) {
        await probePlaybackDevice({ device: this.device, sampleRateHz: this.format.sampleRateHz, specifier, label: this.core.label });
      }
      const Speaker = (await loadNativeModule({ specifier, device: this.device, label: this.core.label })) as unknown as SpeakerConstructor;
      const speaker = new Speaker({
        channels: 1,
        bitDepth: 16,
        sampleRate: this.format.sampleRateHz,
        signed: true,
        device: this.device,
        samplesPerFrame: this.format.frameSamples,
      });
      speaker.on('error', (error) => this.onDeviceError(error));
      this.speaker = speaker;
    } catch (error) {
      const failure = error instanceof AudioDeviceError ? error : this.core.error('io', `opening failed: ${String(error)}`, error);
      this.logger.error(failure.message, { device: this.device, kind: failure.kind });
      throw this.core.endStart(failure);
    }
    this.core.endStart();
    this.logger.info('playback device open', { device: this.device, sampleRateHz: this.format.sampleRateHz });
  }

  write(frame: Int16Array): void {
    this.core.assertRunning('write()');
    this.core.checkFrame(frame, 'write()');
    const speaker = this.speaker;
    if (!speaker) throw this.core.error('state', 'write() without an open device');
    if (this.pendingWrites >= (this.options.maxPendingFrames ?? 10)) {
      this.logger.warn('playback overrun: ALSA is not taking data, frame dropped', { device: this.device, pendingWrites: this.pendingWrites });
      this.core.emit({
        type: 'overrun',
        device: this.device,
        message: `${this.core.label}: ${this.pendingWrites} frames still pending, ${frame.length} samples dropped`,
        droppedSamples: frame.length,
      });
      return;
    }
    this.checkUnderrun(frame.length);
    const bytes = new Uint8Array(frame.byteLength);
    bytes.set(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength)); // native endianness, as speaker requires
    this.pendingWrites++;
    speaker.write(bytes, (error) => {
      this.pendingWrites--;
      if (error) this.onDeviceError(error);
      if (this.pendingWrites === 0) this.drained?.();
    });
  }

  playedSamples(): undefined {
    return undefined;
  }

  bufferedSamples(): undefined {
    return undefined;
  }

  async stop(): Promise<void> {
    this.core.beginStop();
    const speaker = this.speaker;
    this.speaker = undefined;
    if (speaker) {
      const timeoutMs = this.options.drainTimeoutMs ?? 2000;
      const drained = await this.waitDrained(timeoutMs);
      if (drained) {
        speaker.close(false); // drains what ALSA holds, then closes
      } else {
        // Closing under a write still running in speaker's worker thread would free its buffer under it.
        this.logger.error('playback writes did not finish; device left open', { device: this.device, pendingWrites: this.pendingWrites, timeoutMs });
      }
    }
    this.core.endStop();
    this.logger.info('playback device closed', { device: this.device, underruns: this.underruns });
  }

  private waitDrained(timeoutMs: number): Promise<boolean> {
    if (this.pendingWrites === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.drained = () => {
        clearTimeout(timer);
        this.drained = undefined;
        resolve(true);
      };
    });
  }

  private checkUnderrun(samples: number): void {
    const nowMs = this.clock.nowMs();
    if (this.anchorMs !== undefined) {
      const dueSamples = ((nowMs - this.anchorMs) * this.format.sampleRateHz) / 1000;
      if (this.samplesSinceAnchor < dueSamples) {
        this.underruns++;
        const shortMs = ((dueSamples - this.samplesSinceAnchor) * 1000) / this.format.sampleRateHz;
        this.logger.warn('playback underrun (estimated), ALSA re-prepares and resumes with this write', {
          device: this.device,
          shortMs: Math.round(shortMs),
          underruns: this.underruns,
        });
        this.core.emit({ type: 'underrun', device: this.device, message: `${this.core.label}: underrun, about ${Math.round(shortMs)} ms without data` });
        this.anchorMs = undefined;
      }
    }
    if (this.anchorMs === undefined) {
      this.anchorMs = nowMs;
      this.samplesSinceAnchor = 0;
    }
    this.samplesSinceAnchor += samples;
  }

  private onDeviceError(error: unknown): void {
    if (this.core.state !== 'running') return;
    const failure = this.core.error('io', `ALSA write failed: ${error instanceof Error ? error.message : String(error)}`, error);
    this.logger.error(failure.message, { device: this.device });
    this.core.fail();
    this.core.emit({ type: 'error', error: failure });
  }
}
