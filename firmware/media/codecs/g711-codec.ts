/**
 * G.711 as a `CodecFactory`: PCMU and PCMA (RFC 3551 §4.5.14). One code per
 * sample, so any frame length works; the codec is stateless and `reset()` is a no-op.
 */
import type { AudioDecoder, AudioEncoder, CodecDescriptor, CodecFactory } from '../types.ts';
import { codecDescriptors } from './codec-descriptors.ts';
import { g711 } from './g711.ts';

export type G711Law = 'mu-law' | 'a-law';

export interface G711FactoryOptions {
  readonly law: G711Law;
  /** Defaults to PCMU or PCMA from `codecDescriptors`; pass another to carry a negotiated payload type. */
  readonly descriptor?: CodecDescriptor;
}

export function createG711Factory(options: G711FactoryOptions): CodecFactory {
  const muLaw = options.law === 'mu-law';
  const descriptor = options.descriptor ?? (muLaw ? codecDescriptors.pcmu : codecDescriptors.pcma);
  const encode = muLaw ? g711.encodeMuLaw : g711.encodeALaw;
  const decode = muLaw ? g711.decodeMuLaw : g711.decodeALaw;
  return {
    descriptor,
    createEncoder: (): AudioEncoder => ({ codec: descriptor, encode: (pcm) => encode(pcm), reset: () => {} }),
    createDecoder: (): AudioDecoder => ({ codec: descriptor, decode: (payload) => decode(payload), reset: () => {} }),
  };
}
