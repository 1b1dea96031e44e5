/**
 * Opus (RFC 6716) for RTP (RFC 7587) as an optional codec, through the
 * `opusscript` package (libopus compiled to WebAssembly) when it is installed.
 * Loaded lazily with a dynamic `import()`, so deskphone runs without it and
 * only `loadOpusCodec()` fails, with an `OpusUnavailableError` saying what to install.
 *
 * deskphone encodes and decodes mono at 48 kHz; RFC 7587 §7 still has it
 * signalled as `opus/48000/2`, and a mono decoder downmixes stereo streams.
 *
 * Warm-up. A fresh WebAssembly libopus is slow for its first frames: the
 * first encode took 22–36 ms here and encodes stayed spiky (5–33 ms) for
 * about the first hundred frames while V8 compiled and tiered up the code,
 * against ≈ 0.5 ms once warm. In a call that start-up burst blocks the media
 * loop for over 100 ms, the loop skips ticks, frames are never sent and the
 * peer's jitter buffer takes the slip for network delay. So `loadOpusCodec()`
 * encodes and decodes a few seconds' worth of frames once per process before
 * it resolves, one frame per event-loop turn (see `OpusCodecOptions.warmUpFrames`).
 */
import type { AudioDecoder, AudioEncoder, CodecDescriptor, CodecFactory } from '../types.ts';
import type { FactoryMaker } from './codec-registry.ts';

/** The parts of the `opusscript` API used here. */
interface OpusScriptHandle {
  encode(pcm: Uint8Array, frameSize: number): Uint8Array;
  decode(payload: Uint8Array): Uint8Array;
  setBitrate(bitrateBps: number): void;
  encoderCTL(ctl: number, value: number): void;
  decoderCTL(ctl: number, value: number): void;
  delete(): void;
}

type OpusScriptConstructor = new (sampleRateHz: number, channels: number, application: number, options?: { wasm?: boolean }) => OpusScriptHandle;

export const OPUS_PACKAGE = 'opusscript';

/** RFC 6716 §2: the frame durations Opus codes, as sample counts at 48 kHz (2.5, 5, 10, 20, 40, 60 ms). */
const FRAME_SIZES_48K = new Set([120, 240, 480, 960, 1920, 2880]);
/** libopus application constants (opus_defines.h). */
const APPLICATION = { voip: 2048, audio: 2049 } as const;
/** libopus CTL: OPUS_RESET_STATE. */
const OPUS_RESET_STATE = 4028;
const SAMPLE_RATE_HZ = 48000;
/** Frames of the one-off warm-up (measured: 50 left spikes of 10–30 ms, 100 left ≤ 1–4 ms). */
const DEFAULT_WARM_UP_FRAMES = 150;
const WARM_UP_FRAME_SAMPLES = 960;

export class OpusUnavailableError extends Error {
  constructor(specifier: string, cause: unknown) {
    super(`Opus needs the optional package "${specifier}" (npm install ${OPUS_PACKAGE}); it could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'OpusUnavailableError';
  }
}

export interface OpusCodecOptions {
  /** Module to load: the package name (default) or a path/URL to its entry file. */
  readonly specifier?: string;
  /** Encoder target bit rate; RFC 7587 §3.1.1 suggests 28–40 kbit/s for full-band speech. Default 32 000. */
  readonly bitrateBps?: number;
  /** libopus application: 'voip' (default) favours speech intelligibility, 'audio' fidelity. */
  readonly application?: keyof typeof APPLICATION;
  /**
   * Frames (20 ms, 48 kHz) encoded and decoded once per process when the
   * package is loaded, so the first call's media loop does not pay for the
   * WebAssembly start-up. Default 150 (≈ 0.2 s of CPU here, spread over
   * event-loop turns); 0 skips it.
   */
  readonly warmUpFrames?: number;
}

function isOpusScriptConstructor(value: unknown): value is OpusScriptConstructor {
  if (typeof value !== 'function') return false;
  const prototype: unknown = value.prototype;
  if (typeof prototype !== 'object' || prototype === null) return false;
  return ['encode', 'decode', 'setBitrate', 'encoderCTL', 'decoderCTL', 'delete'].every((name) => typeof (prototype as Record<string, unknown>)[name] === 'function');
}

async function importOpusScript(specifier: string): Promise<OpusScriptConstructor> {
  let loaded: unknown;
  try {
    loaded = await import(specifier);
  } catch (error: unknown) {
    throw new OpusUnavailableError(specifier, error);
  }
  const candidate: unknown = typeof loaded === 'object' && loaded !== null && 'default' in loaded ? loaded.default : loaded;
  if (!isOpusScriptConstructor(candidate)) throw new OpusUnavailableError(specifier, new TypeError('it does not export the opusscript API'));
  return candidate;
}

/** One warm-up per loaded module (the package shares one WebAssembly instance between its encoders and decoders). */
const warmUps = new WeakMap<OpusScriptConstructor, Promise<void>>();

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Warm-up frame `index`: a stretch each of noise, a tone and silence, so the codec's speech, music and silence paths all run. */
function warmUpFrame(index: number, pcm: Int16Array, seed: { value: number }): void {
  const kind = Math.floor(index / 10) % 3;
  for (let i = 0; i < pcm.length; i++) {
    if (kind === 0) {
      seed.value = (Math.imul(seed.value, 1664525) + 1013904223) >>> 0;
      pcm[i] = (seed.value >>> 16) - 32768;
    } else if (kind === 1) {
      pcm[i] = Math.round(12000 * Math.sin((2 * Math.PI * 440 * (index * pcm.length + i)) / SAMPLE_RATE_HZ));
    } else {
      pcm[i] = 0;
    }
  }
}

async function runWarmUp(OpusScript: OpusScriptConstructor, options: OpusCodecOptions, frames: number): Promise<void> {
  const encoder = new OpusScript(SAMPLE_RATE_HZ, 1, APPLICATION[options.application ?? 'voip']);
  const decoder = new OpusScript(SAMPLE_RATE_HZ, 1, APPLICATION.voip);
  try {
    encoder.setBitrate(options.bitrateBps ?? 32000);
    const pcm = new Int16Array(WARM_UP_FRAME_SAMPLES);
    const seed = { value: 1 };
    for (let index = 0; index < frames; index++) {
      warmUpFrame(index, pcm, seed);
      decoder.decode(encoder.encode(bytesOf(pcm), pcm.length));
      // One frame per event-loop turn: a cold frame costs up to ~35 ms here, more on a small board.
      await nextTurn();
    }
  } finally {
    encoder.delete();
    decoder.delete();
  }
}

/** Runs the warm-up once per module; later loads share it. */
function warmUp(OpusScript: OpusScriptConstructor, options: OpusCodecOptions): Promise<void> {
  const frames = options.warmUpFrames ?? DEFAULT_WARM_UP_FRAMES;
  if (!(frames > 0)) return Promise.resolve();
  let running = warmUps.get(OpusScript);
  if (running === undefined) {
    running = runWarmUp(OpusScript, options, frames);
    warmUps.set(OpusScript, running);
  }
  return running;
}

/** Instances free their WebAssembly memory on `close()`, or when garbage-collected if never closed. */
const finalizer = new FinalizationRegistry<OpusScriptHandle>((handle) => handle.delete());

function bytesOf(pcm: Int16Array): Uint8Array {
  return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

function createEncoder(OpusScript: OpusScriptConstructor, descriptor: CodecDescriptor, options: OpusCodecOptions): AudioEncoder {
  const application = APPLICATION[options.application ?? 'voip'];
  const handle = new OpusScript(SAMPLE_RATE_HZ, 1, application);
  handle.setBitrate(options.bitrateBps ?? 32000);
  const encoder: AudioEncoder = {
    codec: descriptor,
    encode(pcm: Int16Array): Uint8Array {
      if (!FRAME_SIZES_48K.has(pcm.length)) throw new RangeError(`Opus codes 2.5–60 ms frames (120..2880 samples at 48 kHz); got ${pcm.length} samples`);
      return new Uint8Array(handle.encode(bytesOf(pcm), pcm.length));
    },
    reset: () => handle.encoderCTL(OPUS_RESET_STATE, 0),
    close(): void {
      finalizer.unregister(encoder);
      handle.delete();
    },
  };
  finalizer.register(encoder, handle, encoder);
  return encoder;
}

function createDecoder(OpusScript: OpusScriptConstructor, descriptor: CodecDescriptor): AudioDecoder {
  const handle = new OpusScript(SAMPLE_RATE_HZ, 1, APPLICATION.voip);
  const decoder: AudioDecoder = {
    codec: descriptor,
    /** An empty payload asks for packet-loss concealment of one frame (RFC 6716 §4.4). */
    decode(payload: Uint8Array): Int16Array {
      const bytes = handle.decode(payload);
      const pcm = new Int16Array(bytes.length >> 1);
      bytesOf(pcm).set(bytes.subarray(0, pcm.length * 2));
      return pcm;
    },
    reset: () => handle.decoderCTL(OPUS_RESET_STATE, 0),
    close(): void {
      finalizer.unregister(decoder);
      handle.delete();
    },
  };
  finalizer.register(decoder, handle, decoder);
  return decoder;
}

/**
 * Loads the Opus package, warms it up (once per process), and returns a factory maker for `createCodecRegistry({ opus })`.
 * Rejects with `OpusUnavailableError` when the package is missing or is not opusscript.
 */
export async function loadOpusCodec(options: OpusCodecOptions = {}): Promise<FactoryMaker> {
  const OpusScript = await importOpusScript(options.specifier ?? OPUS_PACKAGE);
  await warmUp(OpusScript, options);
  return (descriptor: CodecDescriptor): CodecFactory => ({
    descriptor,
    createEncoder: () => createEncoder(OpusScript, descriptor, options),
    createDecoder: () => createDecoder(OpusScript, descriptor),
  });
}
