/**
 * The media engine's shared vocabulary. Media stages are pure processors
 * (bytes/samples in, bytes/samples out, time passed in explicitly); sockets,
 * devices and clocks live in thin adapters around them.
 *
 * Audio is 16-bit signed linear PCM, mono, in `Int16Array`s. Sample rates and
 * durations carry their unit in their name.
 */

/** RFC 3550 §5.1 fixed header fields plus payload; header extension kept opaque. */
export interface RtpPacket {
  /** Always 2. */
  readonly version: 2;
  /** Padding octets removed from `payload` on parse; count to add on serialize (0 = none). */
  readonly paddingBytes: number;
  readonly marker: boolean;
  /** 0..127 */
  readonly payloadType: number;
  /** 0..65535, wraps. */
  readonly sequenceNumber: number;
  /** 0..2^32-1, wraps; in units of the codec's RTP clock rate. */
  readonly timestamp: number;
  /** 0..2^32-1 */
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  /** RFC 3550 §5.3.1 header extension, kept as-is: profile-defined 16 bits + data (multiple of 4 bytes). */
  readonly extension: { readonly profile: number; readonly data: Uint8Array } | null;
  readonly payload: Uint8Array;
}

/**
 * A codec as a descriptor (baresip/libre style). `sampleRateHz` is the audio
 * rate the codec works at; `rtpClockRateHz` is what RTP timestamps count in.
 * They differ for G.722: 16 kHz audio, 8 kHz RTP clock (RFC 3551 §4.5.2).
 */
export interface CodecDescriptor {
  /** SDP encoding name as in `a=rtpmap`: `PCMU`, `PCMA`, `G722`, `telephone-event`, `CN`, `opus`. */
  readonly name: string;
  /** Static payload type (RFC 3551 Table 4), or the default dynamic one; SDP negotiation may change it. */
  readonly payloadType: number;
  readonly sampleRateHz: number;
  readonly rtpClockRateHz: number;
  readonly channels: number;
  /** Default packetisation time. */
  readonly frameDurationMs: number;
}

/** Encodes one frame of PCM (frameDurationMs at sampleRateHz) into one RTP payload. Stateful (ADPCM). */
export interface AudioEncoder {
  readonly codec: CodecDescriptor;
  encode(pcm: Int16Array): Uint8Array;
  reset(): void;
  /** Frees resources held outside the JS heap (WebAssembly/native codecs); absent when there are none. */
  close?(): void;
}

/** Decodes one RTP payload into PCM at the codec's sample rate. Stateful (ADPCM). */
export interface AudioDecoder {
  readonly codec: CodecDescriptor;
  decode(payload: Uint8Array): Int16Array;
  reset(): void;
  /** Frees resources held outside the JS heap (WebAssembly/native codecs); absent when there are none. */
  close?(): void;
}

/** Creates encoder/decoder pairs for a codec name. */
export interface CodecFactory {
  readonly descriptor: CodecDescriptor;
  createEncoder(): AudioEncoder;
  createDecoder(): AudioDecoder;
}
