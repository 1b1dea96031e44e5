/**
 * The audio hardware contract: a capture `AudioSource` and a playback
 * `AudioSink`, both speaking 16-bit signed linear PCM, mono, in frames of
 * exactly `frameSamples` samples (20 ms at 8 kHz = 160 samples).
 *
 * Declarations only. Real drivers (`alsa`) and strict simulated twins
 * (`file`, `tone`, `null`) implement it; `createAudioDriver()` picks one by
 * name. Every implementation rejects the same misuse: a frame of the wrong
 * length, writing before `start()` or after `stop()`, starting twice.
 */
import type { Unsubscribe } from '../../firmware/core/typed-emitter.ts';
import type { AudioDeviceError } from './audio-device-error.ts';

export interface AudioFormat {
  readonly sampleRateHz: number;
  /** Samples in one frame (per channel): sampleRateHz * frameMs / 1000. */
  readonly frameSamples: number;
  /** Always 1: the phone's audio path is mono. */
  readonly channels: 1;
}

/**
 * Life of a stream. `stopped` and `failed` are final: a stopped stream is not
 * restarted (like a closed port), the composition root creates a new one.
 */
export type AudioStreamState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export type AudioSourceEvent =
  /** One frame of exactly `format.frameSamples` samples. The array is the listener's to keep. */
  | { readonly type: 'frame'; readonly device: string; readonly samples: Int16Array }
  /** The device had data the application did not read in time (ALSA capture xrun); samples were lost. */
  | { readonly type: 'overrun'; readonly device: string; readonly message: string }
  /** A finite source (a WAV file without `loop`) has delivered its last frame. */
  | { readonly type: 'ended'; readonly device: string }
  /** The device failed while running (unplugged, read error); the stream is `failed`. */
  | { readonly type: 'error'; readonly error: AudioDeviceError };

export type AudioSinkEvent =
  /** The device ran out of samples to play; it restarts with the next write. */
  | { readonly type: 'underrun'; readonly device: string; readonly message: string }
  /** A frame was written while the device buffer was full; it was dropped. */
  | { readonly type: 'overrun'; readonly device: string; readonly message: string; readonly droppedSamples: number }
  | { readonly type: 'error'; readonly error: AudioDeviceError };

type EventOf<E extends { type: string }, T extends E['type']> = Extract<E, { type: T }>;

interface AudioStream<E extends { type: string }> {
  /** The device name as configured (`plughw:CARD=Device`, a WAV path, `tone:440Hz`). Every error message names it. */
  readonly device: string;
  readonly format: AudioFormat;
  readonly state: AudioStreamState;
  /** Opens the device. Rejects with an `AudioDeviceError` (device missing, wrong format, started twice). */
  start(): Promise<void>;
  /** Closes the device (a WAV sink finalises its header). Rejects when the stream was never started or is already stopped. */
  stop(): Promise<void>;
  on<T extends E['type']>(type: T, listener: (event: EventOf<E, T>) => void): Unsubscribe;
}

export type AudioSource = AudioStream<AudioSourceEvent>;

export interface AudioSink extends AudioStream<AudioSinkEvent> {
  /**
   * Queues one frame for playback. Throws `AudioDeviceError` (kind `frame-size`
   * or `state`) on misuse; a full device buffer is not misuse but an `overrun` event.
   */
  write(frame: Int16Array): void;
  /** Samples the device has played since start (its play position), or undefined when the driver cannot know it. */
  playedSamples(): number | undefined;
  /** Samples written but not yet played, or undefined when the driver cannot know it. */
  bufferedSamples(): number | undefined;
}

/** What `createAudioDriver()` returns: one capture and one playback stream of the same format. */
export interface AudioDriver {
  readonly name: AudioDriverName;
  readonly source: AudioSource;
  readonly sink: AudioSink;
}

export type AudioDriverName = 'alsa' | 'file' | 'tone' | 'null';
