import { TypedEmitter, type Unsubscribe } from '../../firmware/core/typed-emitter.ts';
import type { Logger } from '../../firmware/log/logger.ts';
import { AudioDeviceError } from './audio-device-error.ts';
import type { AudioFormat, AudioStreamState } from './audio-device.ts';

export interface StreamCoreOptions {
  readonly device: string;
  readonly format: AudioFormat;
  /** `capture` or `playback`: used in messages ("audio capture device \"x\": ..."). */
  readonly direction: 'capture' | 'playback';
  readonly logger: Logger;
}

type EventOf<E extends { type: string }, T extends E['type']> = Extract<E, { type: T }>;

/**
 * The part every audio stream shares, real or simulated: the state machine,
 * the frame-length check and the event emitter. Drivers hold one, so the
 * twins reject exactly the misuse the real drivers reject.
 */
export class StreamCore<E extends { type: string }> {
  private currentState: AudioStreamState = 'idle';
  private readonly emitter: TypedEmitter<E>;

  constructor(readonly options: StreamCoreOptions) {
    this.emitter = new TypedEmitter<E>((error, event) =>
      options.logger.error('audio event listener threw', { device: options.device, event: event.type, error }),
    );
  }

  get state(): AudioStreamState {
    return this.currentState;
  }

  /** "audio playback device \"default\"" */
  get label(): string {
    return `audio ${this.options.direction} device "${this.options.device}"`;
  }

  on<T extends E['type']>(type: T, listener: (event: EventOf<E, T>) => void): Unsubscribe {
    return this.emitter.on(type, listener);
  }

  emit(event: E): void {
    this.emitter.emit(event);
  }

  error(kind: AudioDeviceError['kind'], detail: string, cause?: unknown): AudioDeviceError {
    return new AudioDeviceError(kind, this.options.device, `${this.label}: ${detail}`, cause === undefined ? undefined : { cause });
  }

  /** idle → starting; throws when started before. */
  beginStart(): void {
    if (this.currentState !== 'idle') {
      throw this.error('state', `start() called while ${this.currentState} (a stream starts once; create a new one after stop())`);
    }
    this.currentState = 'starting';
  }

  /** starting → running (or → failed with the given error, which is returned for rethrowing). */
  endStart(failure?: AudioDeviceError): AudioDeviceError | undefined {
    this.currentState = failure ? 'failed' : 'running';
    return failure;
  }

  /**
   * idle → starting → running around `open()`; a failure moves to failed and
   * is rethrown as an AudioDeviceError (other errors become kind `io`).
   */
  async runStart(open: () => Promise<void>): Promise<void> {
    this.beginStart();
    try {
      await open();
    } catch (error) {
      throw this.endStart(error instanceof AudioDeviceError ? error : this.error('io', String(error), error));
    }
    this.endStart();
  }

  /** running|failed → stopping; throws when never started or already stopped. */
  beginStop(): void {
    if (this.currentState !== 'running' && this.currentState !== 'failed') {
      throw this.error('state', `stop() called while ${this.currentState}`);
    }
    this.currentState = 'stopping';
  }

  endStop(): void {
    this.currentState = 'stopped';
  }

  /** A running stream broke: → failed, and an `error` event is the caller's to emit. */
  fail(): void {
    this.currentState = 'failed';
  }

  assertRunning(operation: string): void {
    if (this.currentState !== 'running') {
      const hint = this.currentState === 'idle' || this.currentState === 'starting' ? ' (call start() first)' : '';
      throw this.error('state', `${operation} while ${this.currentState}${hint}`);
    }
  }

  /** Throws unless `frame` is an Int16Array of exactly `frameSamples` samples. */
  checkFrame(frame: unknown, operation: string): asserts frame is Int16Array {
    const expected = this.options.format.frameSamples;
    if (!(frame instanceof Int16Array)) {
      throw this.error('frame-size', `${operation}: a frame must be an Int16Array of ${expected} samples`);
    }
    if (frame.length !== expected) {
      throw this.error('frame-size', `${operation}: frame of ${frame.length} samples, expected exactly ${expected}`);
    }
  }
}
