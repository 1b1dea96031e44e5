/**
 * RTP data packets: parse from and serialize to the wire (RFC 3550 §5.1,
 * §5.3.1).
 *
 * `parseRtpPacket` never throws on wire data: a malformed datagram becomes
 * `{ ok: false, error }` with a machine-readable reason and a sentence for the
 * log. The payload and extension data it returns are views into the input
 * buffer (no copy); callers that keep them beyond the datagram's life copy.
 *
 * RFC 3550 §5.1, RTP fixed header:
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                           timestamp                           |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |           synchronization source (SSRC) identifier            |
 *    +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *    |            contributing source (CSRC) identifiers             |
 *    |                             ....                              |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * RFC 3550 §5.3.1, header extension (present when X = 1):
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |      defined by profile       |           length              |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                        header extension                       |
 *    |                             ....                              |
 */
import type { RtpPacket } from '../types.ts';

/** RFC 3550 §5.1: 12 octets of fixed header. */
export const RTP_FIXED_HEADER_BYTES = 12;

export type RtpParseErrorReason =
  | 'too-short'
  | 'bad-version'
  | 'csrc-overrun'
  | 'extension-overrun'
  | 'bad-padding';

export interface RtpParseError {
  readonly reason: RtpParseErrorReason;
  /** What exactly is wrong, for the log. */
  readonly detail: string;
}

export type RtpParseResult = { readonly ok: true; readonly packet: RtpPacket } | { readonly ok: false; readonly error: RtpParseError };

function fail(reason: RtpParseErrorReason, detail: string): RtpParseResult {
  return { ok: false, error: { reason, detail } };
}

/** Parses one RTP datagram. Never throws. */
export function parseRtpPacket(bytes: Uint8Array): RtpParseResult {
  if (bytes.byteLength < RTP_FIXED_HEADER_BYTES) {
    return fail('too-short', `${bytes.byteLength} octets, the fixed header alone is ${RTP_FIXED_HEADER_BYTES}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = bytes[0] ?? 0;
  const second = bytes[1] ?? 0;
  // RFC 3550 §5.1 "version (V): 2 bits ... The version defined by this specification is two (2)."
  const version = first >>> 6;
  if (version !== 2) return fail('bad-version', `version ${version}, expected 2`);
  const hasPadding = (first & 0x20) !== 0;
  const hasExtension = (first & 0x10) !== 0;
  const csrcCount = first & 0x0f;

  // RFC 3550 §5.1 "CSRC count (CC): 4 bits ... the number of CSRC identifiers that follow the fixed header."
  let offset = RTP_FIXED_HEADER_BYTES;
  const csrcEnd = offset + 4 * csrcCount;
  if (csrcEnd > bytes.byteLength) {
    return fail('csrc-overrun', `CSRC count ${csrcCount} needs ${csrcEnd} octets, datagram has ${bytes.byteLength}`);
  }
  const csrcs: number[] = [];
  for (; offset < csrcEnd; offset += 4) csrcs.push(view.getUint32(offset));

  // RFC 3550 §5.3.1: 16 profile bits, 16-bit length in 32-bit words excluding the 4-octet extension header.
  let extension: RtpPacket['extension'] = null;
  if (hasExtension) {
    if (offset + 4 > bytes.byteLength) {
      return fail('extension-overrun', `extension header needs ${offset + 4} octets, datagram has ${bytes.byteLength}`);
    }
    const profile = view.getUint16(offset);
    const words = view.getUint16(offset + 2);
    const dataEnd = offset + 4 + 4 * words;
    if (dataEnd > bytes.byteLength) {
      return fail('extension-overrun', `extension length ${words} words needs ${dataEnd} octets, datagram has ${bytes.byteLength}`);
    }
    extension = { profile, data: bytes.subarray(offset + 4, dataEnd) };
    offset = dataEnd;
  }

  // RFC 3550 §5.1 "padding (P): ... The last octet of the padding contains a count of how many
  // padding octets should be ignored, including itself."
  let payloadEnd = bytes.byteLength;
  let paddingBytes = 0;
  if (hasPadding) {
    paddingBytes = bytes[bytes.byteLength - 1] ?? 0;
    if (paddingBytes === 0) return fail('bad-padding', 'padding bit set but the padding count is 0');
    if (paddingBytes > bytes.byteLength - offset) {
      return fail('bad-padding', `padding count ${paddingBytes} exceeds the ${bytes.byteLength - offset} octets after the header`);
    }
    payloadEnd -= paddingBytes;
  }

  return {
    ok: true,
    packet: {
      version: 2,
      paddingBytes,
      marker: (second & 0x80) !== 0,
      payloadType: second & 0x7f,
      sequenceNumber: view.getUint16(2),
      timestamp: view.getUint32(4),
      ssrc: view.getUint32(8),
      csrcs,
      extension,
      payload: bytes.subarray(offset, payloadEnd),
    },
  };
}

/** Octets `serializeRtpPacket` will produce for `packet`. */
export function rtpPacketByteLength(packet: RtpPacket): number {
  const extensionBytes = packet.extension ? 4 + packet.extension.data.byteLength : 0;
  return RTP_FIXED_HEADER_BYTES + 4 * packet.csrcs.length + extensionBytes + packet.payload.byteLength + packet.paddingBytes;
}

function checkRange(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`RTP ${name} ${value} is outside 0..${max}`);
}

/**
 * Writes `packet` in wire format. Padding is written as zero octets ending in
 * the count (RFC 3550 §5.1). Throws `RangeError` on a packet that cannot be
 * represented (our own bug, never wire data): field out of range, more than
 * 15 CSRCs, extension data not a multiple of 4 octets.
 */
export function serializeRtpPacket(packet: RtpPacket): Uint8Array {
  checkRange('payload type', packet.payloadType, 0x7f);
  checkRange('sequence number', packet.sequenceNumber, 0xffff);
  checkRange('timestamp', packet.timestamp, 0xffff_ffff);
  checkRange('SSRC', packet.ssrc, 0xffff_ffff);
  checkRange('padding', packet.paddingBytes, 0xff);
  if (packet.csrcs.length > 15) throw new RangeError(`RTP allows at most 15 CSRCs, got ${packet.csrcs.length}`);
  if (packet.extension) {
    checkRange('extension profile', packet.extension.profile, 0xffff);
    if (packet.extension.data.byteLength % 4 !== 0) {
      throw new RangeError(`RTP header extension data must be a multiple of 4 octets, got ${packet.extension.data.byteLength}`);
    }
    checkRange('extension length (words)', packet.extension.data.byteLength / 4, 0xffff);
  }

  const bytes = new Uint8Array(rtpPacketByteLength(packet));
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x80 | (packet.paddingBytes > 0 ? 0x20 : 0) | (packet.extension ? 0x10 : 0) | packet.csrcs.length;
  bytes[1] = (packet.marker ? 0x80 : 0) | packet.payloadType;
  view.setUint16(2, packet.sequenceNumber);
  view.setUint32(4, packet.timestamp);
  view.setUint32(8, packet.ssrc);
  let offset = RTP_FIXED_HEADER_BYTES;
  for (const csrc of packet.csrcs) {
    checkRange('CSRC', csrc, 0xffff_ffff);
    view.setUint32(offset, csrc);
    offset += 4;
  }
  if (packet.extension) {
    view.setUint16(offset, packet.extension.profile);
    view.setUint16(offset + 2, packet.extension.data.byteLength / 4);
    bytes.set(packet.extension.data, offset + 4);
    offset += 4 + packet.extension.data.byteLength;
  }
  bytes.set(packet.payload, offset);
  offset += packet.payload.byteLength;
  if (packet.paddingBytes > 0) bytes[bytes.byteLength - 1] = packet.paddingBytes;
  return bytes;
}
