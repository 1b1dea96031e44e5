/**
 * Opus (RFC 6716) for RTP (RFC 7587) as an optional codec, through the
 * `opusscript` package (libopus compiled to WebAssembly) when it is installed.
 * Loaded lazily with a dynamic `import()`, so deskphone runs without it and
 * only `loadOpusCodec()` fails, with an `OpusUnavailableError` saying what to install.
 *
 * deskphone encodes and decodes mono at 48 kHz; RFC 7587 §7 still has it
 * signalled as `opus/48000/2`, and a mono decoder downmixes stereo streams.
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
 * Loads the Opus package and returns a factory maker for `createCodecRegistry({ opus })`.
 * Rejects with `OpusUnavailableError` when the package is missing or is not opusscript.
 */
export async function loadOpusCodec(options: OpusCodecOptions = {}): Promise<FactoryMaker> {
  const OpusScript = await importOpusScript(options.specifier ?? OPUS_PACKAGE);
  return (descriptor: CodecDescriptor): CodecFactory => ({
    descriptor,
    createEncoder: () => createEncoder(OpusScript, descriptor, options),
    createDecoder: () => createDecoder(OpusScript, descriptor),
  });
}
