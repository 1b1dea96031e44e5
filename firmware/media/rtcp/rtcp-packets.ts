/**
 * RTCP packets to and from bytes, one after the other as they are stacked in
 * a datagram (RFC 3550 §6.1), without the compound-packet rules (those are in
 * rtcp-compound.ts). Never throws on wire data.
 */
import { parseBye, serializeBye } from './bye.ts';
import { parseReceiverReport, serializeReceiverReport } from './receiver-report.ts';
import { allocateRtcpPacket, RTCP_HEADER_BYTES } from './rtcp-header.ts';
import { RTCP_PACKET_TYPE, rtcpFail, type RtcpPacket, type RtcpParseResult } from './rtcp-types.ts';
import { parseSenderReport, serializeSenderReport } from './sender-report.ts';
import { parseSourceDescription, serializeSourceDescription } from './source-description.ts';

/** A parsed packet and whether its P bit was set (only allowed on the last packet of a compound). */
export interface ParsedRtcpPacket {
  readonly packet: RtcpPacket;
  readonly paddingBytes: number;
}

function parseBody(packetType: number, count: number, body: Uint8Array): RtcpParseResult<RtcpPacket> {
  switch (packetType) {
    case RTCP_PACKET_TYPE.SR:
      return parseSenderReport(body, count);
    case RTCP_PACKET_TYPE.RR:
      return parseReceiverReport(body, count);
    case RTCP_PACKET_TYPE.SDES:
      return parseSourceDescription(body, count);
    case RTCP_PACKET_TYPE.BYE:
      return parseBye(body, count);
    default:
      return { ok: true, value: { type: 'other', packetType, count, body } };
  }
}

/** Splits a datagram into RTCP packets by their length fields and parses each. */
export function parseRtcpPackets(bytes: Uint8Array): RtcpParseResult<readonly ParsedRtcpPacket[]> {
  if (bytes.byteLength < RTCP_HEADER_BYTES) return rtcpFail('too-short', `${bytes.byteLength} octets, an RTCP header is ${RTCP_HEADER_BYTES}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const packets: ParsedRtcpPacket[] = [];
  let offset = 0;
  while (offset < bytes.byteLength) {
    const index = packets.length + 1;
    if (offset + RTCP_HEADER_BYTES > bytes.byteLength) {
      return rtcpFail('bad-length', `${bytes.byteLength - offset} stray octets after RTCP packet ${index - 1}`);
    }
    const first = bytes[offset] ?? 0;
    const version = first >>> 6;
    if (version !== 2) return rtcpFail('bad-version', `RTCP packet ${index}: version ${version}, expected 2`);
    const hasPadding = (first & 0x20) !== 0;
    const count = first & 0x1f;
    const packetType = bytes[offset + 1] ?? 0;
    const packetBytes = (view.getUint16(offset + 2) + 1) * 4;
    const end = offset + packetBytes;
    if (end > bytes.byteLength) {
      return rtcpFail('bad-length', `RTCP packet ${index} (PT ${packetType}) claims ${packetBytes} octets, ${bytes.byteLength - offset} remain`);
    }
    let bodyEnd = end;
    let paddingBytes = 0;
    if (hasPadding) {
      // RFC 3550 §6.4.1 "padding (P): ... the last octet of the padding is a count of how many padding octets should be ignored, including itself (it will be a multiple of four)."
      paddingBytes = bytes[end - 1] ?? 0;
      if (paddingBytes === 0 || paddingBytes > packetBytes - RTCP_HEADER_BYTES) {
        return rtcpFail('bad-padding', `RTCP packet ${index}: padding count ${paddingBytes} with ${packetBytes - RTCP_HEADER_BYTES} body octets`);
      }
      bodyEnd -= paddingBytes;
    }
    const parsed = parseBody(packetType, count, bytes.subarray(offset + RTCP_HEADER_BYTES, bodyEnd));
    if (!parsed.ok) return rtcpFail(parsed.error.reason, `RTCP packet ${index}: ${parsed.error.detail}`);
    packets.push({ packet: parsed.value, paddingBytes });
    offset = end;
  }
  return { ok: true, value: packets };
}

function serializeOther(packet: Extract<RtcpPacket, { type: 'other' }>): Uint8Array {
  const { bytes } = allocateRtcpPacket({ packetType: packet.packetType, count: packet.count, bodyBytes: packet.body.byteLength });
  bytes.set(packet.body, RTCP_HEADER_BYTES);
  return bytes;
}

/** One RTCP packet in wire format (no padding). Throws `RangeError` on values that cannot be encoded. */
export function serializeRtcpPacket(packet: RtcpPacket): Uint8Array {
  switch (packet.type) {
    case 'sr':
      return serializeSenderReport(packet);
    case 'rr':
      return serializeReceiverReport(packet);
    case 'sdes':
      return serializeSourceDescription(packet);
    case 'bye':
      return serializeBye(packet);
    case 'other':
      return serializeOther(packet);
  }
}
