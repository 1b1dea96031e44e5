import type { Unsubscribe } from '../../../firmware/core/typed-emitter.ts';
import { silentLogger, type Logger } from '../../../firmware/log/logger.ts';
import { AudioDeviceError } from '../audio-device-error.ts';
import type { AudioFormat, AudioSource, AudioSourceEvent, AudioStreamState } from '../audio-device.ts';
import { FrameAssembler } from '../frame-assembler.ts';
import { StreamCore } from '../stream-core.ts';
import type { AlsaCaptureConstructor, AlsaCaptureInstance } from './alsa-native.d.ts';
import { loadNativeModule } from './load-native-module.ts';

export interface AlsaSourceOptions {
  /** ALSA PCM name: `default`, `plughw:CARD=Device`, `hw:1,0`. */
  readonly device: string;
  readonly format: AudioFormat;
  readonly logger?: Logger;
  /** ALSA period (one wake-up of the capture thread). Small for low latency; default 10 ms. */
  readonly periodMs?: number;
  /** How long `start()` waits for the device to open. Default 5000 ms. */
  readonly openTimeoutMs?: number;
  /** Package name, for tests of the "module missing" path. Default `alsa-capture`. */
  readonly alsaCaptureModule?: string;
}

type EventOf<T extends AudioSourceEvent['type']> = Extract<AudioSourceEvent, { type: T }>;

/**
 * ALSA capture through the optional `alsa-capture` module: S16_LE mono at
 * the format's rate, periods of `periodMs`, re-cut into frames of exactly
 * `frameSamples`. Overruns are recovered by the module (snd_pcm_prepare) and
 * reported here with a log line; a short read keeps only the frames read; a
 * read error drops that period.
 */
export class AlsaSource implements AudioSource {
  private readonly core: StreamCore<AudioSourceEvent>;
  private readonly logger: Logger;
  private readonly assembler: FrameAssembler;
  private capture: AlsaCaptureInstance | undefined;
  private closed: (() => void) | undefined;
  private validFramesInNextPeriod: number | undefined;
  private dropNextPeriod = false;
  private overruns = 0;

  constructor(private readonly options: AlsaSourceOptions) {
    this.logger = options.logger ?? silentLogger;
    this.core = new StreamCore({ device: options.device, format: options.format, direction: 'capture', logger: this.logger });
    this.assembler = new FrameAssembler(options.format.frameSamples);
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

  get overrunCount(): number {
    return this.overruns;
  }

  on<T extends AudioSourceEvent['type']>(type: T, listener: (event: EventOf<T>) => void): Unsubscribe {
    return this.core.on(type, listener);
  }

  async start(): Promise<void> {
    this.core.beginStart();
    try {
      const AlsaCapture = (await loadNativeModule({
        specifier: this.options.alsaCaptureModule ?? 'alsa-capture',
        device: this.device,
        label: this.core.label,
      })) as unknown as AlsaCaptureConstructor;
      const periodSize = Math.max(1, Math.round((this.format.sampleRateHz * (this.options.periodMs ?? 10)) / 1000));
      let capture: AlsaCaptureInstance;
      try {
        capture = new AlsaCapture({ channels: 1, device: this.device, format: 'S16_LE', rate: this.format.sampleRateHz, periodSize });
      } catch (error) {
        throw this.core.error('format', `alsa-capture refused the parameters: ${String(error)}`, error);
      }
      this.capture = capture;
      await this.waitOpen(capture, periodSize);
    } catch (error) {
      const failure = error instanceof AudioDeviceError ? error : this.core.error('io', `opening failed: ${String(error)}`, error);
      this.logger.error(failure.message, { device: this.device, kind: failure.kind });
      throw this.core.endStart(failure);
    }
    this.core.endStart();
  }

  async stop(): Promise<void> {
    this.core.beginStop();
    const capture = this.capture;
    this.capture = undefined;
    if (capture) {
      const closed = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        this.closed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      capture.close();
      await closed;
    }
    this.core.endStop();
    this.logger.info('capture device closed', { device: this.device, overruns: this.overruns });
  }

  /** Resolves on the first sign the PCM is open and configured (periodTime), rejects on an open error. */
  private waitOpen(capture: AlsaCaptureInstance, periodSize: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let opening = true;
      const settle = (failure?: AudioDeviceError): void => {
        if (!opening) return;
        opening = false;
        clearTimeout(timer);
        if (failure) {
          capture.close();
          reject(failure);
        } else {
          this.logger.info('capture device open', { device: this.device, sampleRateHz: this.format.sampleRateHz, periodSize });
          resolve();
        }
      };
      const timer = setTimeout(
        () => settle(this.core.error('device-missing', `device did not open within ${this.options.openTimeoutMs ?? 5000} ms`)),
        this.options.openTimeoutMs ?? 5000,
      );
      capture.on('error', (error) => {
        const text = (error instanceof Error ? error.message : String(error)).trim();
        if (opening) {
          const kind = /open PCM device/i.test(text) ? 'device-missing' : 'format';
          settle(this.core.error(kind, kind === 'device-missing' ? `device missing or cannot be opened (ALSA: ${text})` : text, error));
        } else {
          this.onRunningError(text, error);
        }
      });
      capture.on('rateDeviating', (actual) => {
        settle(this.core.error('format', `device cannot capture at ${this.format.sampleRateHz} Hz (it offers ${String(actual)} Hz); use a plughw: device`));
      });
      capture.on('periodSizeDeviating', (actual) => {
        this.logger.info('capture period size differs from the request', { device: this.device, requested: periodSize, actual });
      });
      capture.on('periodTime', () => settle());
      capture.on('audio', (data) => {
        settle();
        if (data instanceof Uint8Array) this.onAudio(data);
      });
      capture.on('overrun', () => this.onOverrun());
      capture.on('shortRead', (frames) => {
        this.validFramesInNextPeriod = Number(frames);
        this.logger.debug('capture short read', { device: this.device, frames });
      });
      capture.on('readError', (message) => {
        this.dropNextPeriod = true;
        this.logger.warn('capture read error, period dropped', { device: this.device, error: String(message) });
      });
      capture.on('close', () => this.closed?.());
    });
  }

  private onAudio(data: Uint8Array): void {
    if (this.core.state !== 'running' && this.core.state !== 'starting') return;
    if (this.dropNextPeriod) {
      this.dropNextPeriod = false;
      this.validFramesInNextPeriod = undefined;
      return;
    }
    let count = Math.floor(data.byteLength / 2);
    if (this.validFramesInNextPeriod !== undefined) {
      count = Math.min(count, Math.max(0, this.validFramesInNextPeriod));
      this.validFramesInNextPeriod = undefined;
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const samples = new Int16Array(count);
    for (let i = 0; i < count; i++) samples[i] = view.getInt16(i * 2, true);
    for (const frame of this.assembler.push(samples)) {
      this.core.emit({ type: 'frame', device: this.device, samples: frame });
    }
  }

  private onOverrun(): void {
    this.overruns++;
    this.logger.warn('capture overrun: samples lost, alsa-capture re-prepared the PCM', { device: this.device, overruns: this.overruns });
    this.core.emit({ type: 'overrun', device: this.device, message: `${this.core.label}: overrun, samples lost (recovered)` });
  }

  private onRunningError(text: string, cause: unknown): void {
    if (this.core.state !== 'running') return;
    const failure = this.core.error('io', `capture failed: ${text}`, cause);
    this.logger.error(failure.message, { device: this.device });
    this.core.fail();
    this.core.emit({ type: 'error', error: failure });
  }
}
