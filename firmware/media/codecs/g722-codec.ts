/**
 * G.722 as a `CodecFactory` (RFC 3551 §4.5.2): 16 kHz audio, 8 kHz RTP
 * clock, 64 kbit/s; a 20 ms frame is 320 samples in, 160 octets out.
 * Encoder and decoder are stateful (ADPCM); `reset()` returns them to the
 * G.722 reset state, e.g. on a new stream or SSRC change.
 */
import type { AudioDecoder, AudioEncoder, CodecDescriptor, CodecFactory } from '../types.ts';
import { codecDescriptors } from './codec-descriptors.ts';
import { G722Decoder } from './g722/g722-decoder.ts';
import { G722Encoder } from './g722/g722-encoder.ts';

export function createG722Factory(descriptor: CodecDescriptor = codecDescriptors.g722): CodecFactory {
  return {
    descriptor,
    createEncoder(): AudioEncoder {
      const encoder = new G722Encoder();
      return { codec: descriptor, encode: (pcm) => encoder.encode(pcm), reset: () => encoder.reset() };
    },
    createDecoder(): AudioDecoder {
      const decoder = new G722Decoder();
      return { codec: descriptor, decode: (payload) => decoder.decode(payload), reset: () => decoder.reset() };
    },
  };
}
