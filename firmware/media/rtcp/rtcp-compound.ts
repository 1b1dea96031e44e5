/**
 * Compound RTCP packets (RFC 3550 §6.1, validity checks of Appendix A.2).
 *
 * §6.1: "Each individual RTCP packet in the compound packet may be processed
 * independently ... [but] the first RTCP packet in the compound packet MUST
 * always be a report packet [SR or RR] ... An SDES packet containing a CNAME
 * item MUST be included in each compound RTCP packet".
 *
 * A.2: version 2 everywhere, padding only on the last packet, and the
 * lengths of the individual packets adding up to the datagram's length.
 */
import { parseRtcpPackets, serializeRtcpPacket } from './rtcp-packets.ts';
import { rtcpFail, SDES_ITEM_TYPE, type RtcpPacket, type RtcpParseResult } from './rtcp-types.ts';

export interface ParseRtcpCompoundOptions {
  /**
   * Reject a compound without an SDES CNAME (§6.1 MUST). Off by default: on
   * receipt a missing CNAME costs us nothing, and some peers omit it in BYE-only
   * or reduced-size packets.
   */
  readonly requireCname?: boolean;
}

function hasCname(packets: readonly RtcpPacket[]): boolean {
  return packets.some((packet) => packet.type === 'sdes' && packet.chunks.some((chunk) => chunk.items.some((item) => item.type === SDES_ITEM_TYPE.CNAME)));
}

/** Parses and validates one compound RTCP datagram. Never throws. */
export function parseRtcpCompound(bytes: Uint8Array, options: ParseRtcpCompoundOptions = {}): RtcpParseResult<readonly RtcpPacket[]> {
  const parsed = parseRtcpPackets(bytes);
  if (!parsed.ok) return parsed;
  const packets = parsed.value.map((entry) => entry.packet);
  const first = packets[0];
  // A.2: "(*(u_int16 *)r & RTCP_VALID_MASK) != RTCP_VALID_VALUE": the first packet is SR or RR.
  if (!first || (first.type !== 'sr' && first.type !== 'rr')) {
    const found = first?.type === 'other' ? `PT ${first.packetType}` : (first?.type ?? 'nothing');
    return rtcpFail('first-not-report', `compound RTCP starts with ${found}, not SR or RR`);
  }
  // A.2: padding is allowed only on the last packet.
  const paddedIndex = parsed.value.findIndex((entry, i) => entry.paddingBytes > 0 && i < parsed.value.length - 1);
  if (paddedIndex >= 0) return rtcpFail('padding-not-last', `RTCP packet ${paddedIndex + 1} of ${parsed.value.length} has the padding bit set`);
  if (options.requireCname && !hasCname(packets)) return rtcpFail('missing-cname', 'compound RTCP has no SDES CNAME item');
  return { ok: true, value: packets };
}

/**
 * Concatenates packets into one compound datagram. Throws `RangeError` when
 * it would break §6.1 (first packet not SR/RR, no CNAME): our bug, not wire data.
 */
export function serializeRtcpCompound(packets: readonly RtcpPacket[]): Uint8Array {
  const first = packets[0];
  if (!first || (first.type !== 'sr' && first.type !== 'rr')) throw new RangeError('RFC 3550 §6.1: a compound RTCP packet must start with SR or RR');
  if (!hasCname(packets)) throw new RangeError('RFC 3550 §6.1: a compound RTCP packet must carry an SDES CNAME');
  const parts = packets.map(serializeRtcpPacket);
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}
