/**
 * The codecs deskphone knows, as descriptors. Payload types are the static
 * ones of RFC 3551 Table 4, or a default for the dynamic range (96..127)
 * that SDP negotiation overrides (see `CodecRegistry.find`).
 */
import type { CodecDescriptor } from '../types.ts';

export const codecDescriptors = {
  /** RFC 3551 §4.5.14, Table 4: G.711 μ-law, PT 0, 8 kHz audio and clock. */
  pcmu: { name: 'PCMU', payloadType: 0, sampleRateHz: 8000, rtpClockRateHz: 8000, channels: 1, frameDurationMs: 20 },
  /** RFC 3551 §4.5.14, Table 4: G.711 A-law, PT 8, 8 kHz audio and clock. */
  pcma: { name: 'PCMA', payloadType: 8, sampleRateHz: 8000, rtpClockRateHz: 8000, channels: 1, frameDurationMs: 20 },
  /**
   * RFC 3551 §4.5.2: G.722 samples at 16 kHz but its RTP clock runs at 8 kHz
   * ("an error in RFC 1890 ... must remain for backward compatibility"). A 20 ms
   * frame is 320 samples, 160 payload bytes, and advances the timestamp by 160.
   */
  g722: { name: 'G722', payloadType: 9, sampleRateHz: 16000, rtpClockRateHz: 8000, channels: 1, frameDurationMs: 20 },
  /** RFC 4733 §7.1.1: named telephone events, dynamic PT (101 by common convention), 8 kHz clock. No audio codec behind it. */
  telephoneEvent: { name: 'telephone-event', payloadType: 101, sampleRateHz: 8000, rtpClockRateHz: 8000, channels: 1, frameDurationMs: 20 },
  /** RFC 3389 §5, RFC 3551 Table 4: comfort noise, PT 13, 8 kHz clock. No audio codec behind it. */
  comfortNoise: { name: 'CN', payloadType: 13, sampleRateHz: 8000, rtpClockRateHz: 8000, channels: 1, frameDurationMs: 20 },
  /**
   * RFC 7587 §4.1 and §7: Opus always uses a 48 kHz RTP clock and is signalled
   * as `opus/48000/2` whatever it actually carries; dynamic PT (111 by common convention).
   * deskphone encodes and decodes mono at 48 kHz.
   */
  opus: { name: 'opus', payloadType: 111, sampleRateHz: 48000, rtpClockRateHz: 48000, channels: 2, frameDurationMs: 20 },
} as const satisfies Record<string, CodecDescriptor>;
