/**
 * RFC 3550 §6.6 BYE: Goodbye RTCP packet.
 *
 *           0                   1                   2                   3
 *           0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *          +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *          |V=2|P|    SC   |   PT=BYE=203  |             length            |
 *          +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *          |                           SSRC/CSRC                           |
 *          +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *          :                              ...                              :
 *          +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *    (opt) |     length    |               reason for leaving            ...
 *          +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The reason is padded with null octets to the next 32-bit boundary.
 */
import { allocateRtcpPacket } from './rtcp-header.ts';
import { RTCP_PACKET_TYPE, rtcpFail, type RtcpBye, type RtcpParseResult } from './rtcp-types.ts';

const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** Parses the body of a BYE with `count` SSRC/CSRC identifiers. */
export function parseBye(body: Uint8Array, count: number): RtcpParseResult<RtcpBye> {
  const ssrcsEnd = 4 * count;
  if (ssrcsEnd > body.byteLength) return rtcpFail('bad-bye', `BYE with SC=${count} needs ${ssrcsEnd} body octets, has ${body.byteLength}`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const ssrcs: number[] = [];
  for (let offset = 0; offset < ssrcsEnd; offset += 4) ssrcs.push(view.getUint32(offset));
  let reason: string | null = null;
  if (ssrcsEnd < body.byteLength) {
    const length = body[ssrcsEnd] ?? 0;
    if (ssrcsEnd + 1 + length > body.byteLength) return rtcpFail('bad-bye', `BYE reason of ${length} octets overruns the packet`);
    reason = utf8.decode(body.subarray(ssrcsEnd + 1, ssrcsEnd + 1 + length));
  }
  return { ok: true, value: { type: 'bye', ssrcs, reason } };
}

export function serializeBye(bye: RtcpBye): Uint8Array {
  const reasonBytes = bye.reason === null ? null : encoder.encode(bye.reason);
  if (reasonBytes && reasonBytes.byteLength > 255) throw new RangeError(`BYE reason is ${reasonBytes.byteLength} octets, at most 255`);
  const reasonPart = reasonBytes ? (1 + reasonBytes.byteLength + 3) & ~3 : 0;
  const { bytes, view } = allocateRtcpPacket({ packetType: RTCP_PACKET_TYPE.BYE, count: bye.ssrcs.length, bodyBytes: 4 * bye.ssrcs.length + reasonPart });
  bye.ssrcs.forEach((ssrc, i) => view.setUint32(4 + 4 * i, ssrc));
  if (reasonBytes) {
    const offset = 4 + 4 * bye.ssrcs.length;
    bytes[offset] = reasonBytes.byteLength;
    bytes.set(reasonBytes, offset + 1);
  }
  return bytes;
}
