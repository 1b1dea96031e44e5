/**
 * Minimal types for the two optional native modules, as this driver uses
 * them. They are loaded with a computed `import()` (so tsc and esbuild never
 * need them installed) and checked at run time against these shapes.
 */

/** `new AlsaCapture(options)` from `alsa-capture` 0.3 (an eventemitter3). */
export interface AlsaCaptureOptions {
  readonly channels: number;
  readonly device: string;
  readonly format: 'S16_LE';
  readonly rate: number;
  /** Frames per period. */
  readonly periodSize: number;
  readonly debug?: boolean;
}

export interface AlsaCaptureInstance {
  /** Events: audio (Uint8Array), error (Error), close, overrun, shortRead (frames), readError (string), rateDeviating (rate), periodSizeDeviating (frames), periodTime (µs). */
  on(event: string, listener: (value: unknown) => void): unknown;
  close(): void;
}

export type AlsaCaptureConstructor = new (options: AlsaCaptureOptions) => AlsaCaptureInstance;

/** `new Speaker(options)` from `speaker` 0.5 (a stream.Writable). */
export interface SpeakerOptions {
  readonly channels: number;
  readonly bitDepth: number;
  readonly sampleRate: number;
  readonly signed: boolean;
  /** ALSA PCM name; the module's own default is "default". */
  readonly device: string;
  /** Largest block handed to one ALSA write, in frames. */
  readonly samplesPerFrame?: number;
}

export interface SpeakerInstance {
  write(chunk: Uint8Array, callback: (error?: Error | null) => void): boolean;
  on(event: string, listener: (value: unknown) => void): unknown;
  /** `close(false)`: drain what ALSA holds, then close (no `flush`, which would drop it). */
  close(flush: boolean): void;
}

export type SpeakerConstructor = new (options: SpeakerOptions) => SpeakerInstance;
