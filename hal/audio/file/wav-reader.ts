/** What a WAV file holds, as far as the phone cares. */
export interface WavContents {
  readonly sampleRateHz: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  /** 1 = PCM (WAVE_FORMAT_EXTENSIBLE with the PCM sub-format is reported as 1 too). */
  readonly formatTag: number;
  /** Little-endian sample bytes of the `data` chunk (within the file's bounds). */
  readonly data: Uint8Array;
}

/** Thrown for anything that is not a well-formed RIFF/WAVE file; the message says what is wrong. */
export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
}

const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

function fourCc(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset] ?? 0, bytes[offset + 1] ?? 0, bytes[offset + 2] ?? 0, bytes[offset + 3] ?? 0);
}

/**
 * Parses a RIFF/WAVE file: walks the chunks (skipping LIST, fact, ...),
 * reads `fmt ` and `data`. A `data` size larger than the file (a recorder that
 * crashed before finalising its header, or 0xFFFFFFFF streaming headers) is
 * clamped to what is there.
 */
export function readWav(bytes: Uint8Array): WavContents {
  if (bytes.length < 12 || fourCc(bytes, 0) !== 'RIFF' || fourCc(bytes, 8) !== 'WAVE') {
    throw new WavFormatError('not a RIFF/WAVE file (no "RIFF....WAVE" header)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: Omit<WavContents, 'data'> | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = fourCc(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new WavFormatError(`"fmt " chunk of ${size} bytes is too short`);
      let formatTag = view.getUint16(body, true);
      if (formatTag === WAVE_FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= bytes.length) {
        formatTag = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      fmt = {
        formatTag,
        channels: view.getUint16(body + 2, true),
        sampleRateHz: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!fmt) throw new WavFormatError('"data" chunk before "fmt " chunk');
      const end = Math.min(bytes.length, body + size);
      return { ...fmt, data: bytes.subarray(body, end) };
    }
    offset = body + size + (size % 2); // chunks are word-aligned
  }
  throw new WavFormatError(fmt ? 'no "data" chunk' : 'no "fmt " chunk');
}

/** Decodes the `data` of a 16-bit PCM file to samples (an odd trailing byte is ignored). */
export function pcm16Samples(contents: WavContents): Int16Array {
  const count = Math.floor(contents.data.length / 2);
  const view = new DataView(contents.data.buffer, contents.data.byteOffset, count * 2);
  const out = new Int16Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}
