/**
 * Codecs for jitter-buffer tests: G.711 μ-law over the real firmware tables,
 * and L16 with a free RTP clock rate (to model G.722's 16 kHz audio on an
 * 8 kHz RTP clock without needing a G.722 implementation).
 */
import { g711 } from '../../../firmware/media/codecs/g711.ts';
import type { AudioDecoder, AudioEncoder, CodecDescriptor } from '../../../firmware/media/types.ts';

export interface TestCodec {
  readonly descriptor: CodecDescriptor;
  createEncoder(): AudioEncoder;
  createDecoder(): AudioDecoder;
}

export const pcmuTestCodec: TestCodec = {
  descriptor: { name: 'PCMU', payloadType: 0, sampleRateHz: 8000, rtpClockRateHz: 8000, channels: 1, frameDurationMs: 20 },
  createEncoder() {
    return { codec: pcmuTestCodec.descriptor, encode: (pcm: Int16Array) => g711.encodeMuLaw(pcm), reset: () => {} };
  },
  createDecoder() {
    return { codec: pcmuTestCodec.descriptor, decode: (payload: Uint8Array) => g711.decodeMuLaw(payload), reset: () => {} };
  },
};

/** Big-endian 16-bit linear PCM (RFC 3551 §4.5.11) at any sample rate / RTP clock rate pair. */
export function l16TestCodec(options: { sampleRateHz: number; rtpClockRateHz: number; payloadType?: number }): TestCodec {
  const descriptor: CodecDescriptor = {
    name: 'L16',
    payloadType: options.payloadType ?? 96,
    sampleRateHz: options.sampleRateHz,
    rtpClockRateHz: options.rtpClockRateHz,
    channels: 1,
    frameDurationMs: 20,
  };
  return {
    descriptor,
    createEncoder() {
      return {
        codec: descriptor,
        encode(pcm: Int16Array) {
          const out = new Uint8Array(pcm.length * 2);
          const view = new DataView(out.buffer);
          pcm.forEach((sample, i) => view.setInt16(i * 2, sample, false));
          return out;
        },
        reset() {},
      };
    },
    createDecoder() {
      return {
        codec: descriptor,
        decode(payload: Uint8Array) {
          const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
          const pcm = new Int16Array(payload.length >> 1);
          for (let i = 0; i < pcm.length; i++) pcm[i] = view.getInt16(i * 2, false);
          return pcm;
        },
        reset() {},
      };
    },
  };
}
