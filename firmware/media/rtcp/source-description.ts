/**
 * RFC 3550 §6.5 SDES: Source Description RTCP packet.
 *
 *            0                   1                   2                   3
 *            0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *           +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    header |V=2|P|    SC   |  PT=SDES=202  |             length            |
 *           +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *    chunk  |                          SSRC/CSRC_1                          |
 *      1    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *           |                           SDES items                          |
 *           |                              ...                              |
 *           +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *
 * Each item is type (8 bits), length (8 bits) and that many octets of UTF-8
 * text. "The list of items in each chunk MUST be terminated by one or more
 * null octets, the first of which is interpreted as an item type of zero to
 * denote the end of the list. ... each chunk [is padded] to the next 32-bit
 * boundary."
 */
import { allocateRtcpPacket } from './rtcp-header.ts';
import {
  RTCP_PACKET_TYPE,
  rtcpFail,
  SDES_ITEM_TYPE,
  type RtcpParseResult,
  type RtcpSdesChunk,
  type RtcpSdesItem,
  type RtcpSourceDescription,
} from './rtcp-types.ts';

const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** Parses the body of an SDES packet with `count` chunks. */
export function parseSourceDescription(body: Uint8Array, count: number): RtcpParseResult<RtcpSourceDescription> {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const chunks: RtcpSdesChunk[] = [];
  let offset = 0;
  for (let chunkIndex = 0; chunkIndex < count; chunkIndex++) {
    if (offset + 4 > body.byteLength) return rtcpFail('bad-sdes', `SDES chunk ${chunkIndex + 1} of ${count} starts past the packet end`);
    const ssrc = view.getUint32(offset);
    offset += 4;
    const items: RtcpSdesItem[] = [];
    for (;;) {
      if (offset >= body.byteLength) return rtcpFail('bad-sdes', `SDES chunk ${chunkIndex + 1} has no end-of-items null octet`);
      const type = body[offset] ?? 0;
      if (type === SDES_ITEM_TYPE.END) break;
      if (offset + 2 > body.byteLength) return rtcpFail('bad-sdes', `SDES item type ${type} has no length octet`);
      const length = body[offset + 1] ?? 0;
      const end = offset + 2 + length;
      if (end > body.byteLength) return rtcpFail('bad-sdes', `SDES item type ${type} of ${length} octets overruns the packet`);
      items.push({ type, text: utf8.decode(body.subarray(offset + 2, end)) });
      offset = end;
    }
    // Skip the null octet(s) up to the next 32-bit boundary.
    offset = (offset + 4) & ~3;
    if (offset > body.byteLength) return rtcpFail('bad-sdes', `SDES chunk ${chunkIndex + 1} padding overruns the packet`);
    chunks.push({ ssrc, items });
  }
  return { ok: true, value: { type: 'sdes', chunks } };
}

function encodedChunk(chunk: RtcpSdesChunk): { readonly ssrc: number; readonly items: readonly { readonly type: number; readonly bytes: Uint8Array }[]; readonly byteLength: number } {
  const items = chunk.items.map((item) => {
    const bytes = encoder.encode(item.text);
    if (item.type < 1 || item.type > 255) throw new RangeError(`SDES item type ${item.type} is outside 1..255`);
    if (bytes.byteLength > 255) throw new RangeError(`SDES item type ${item.type} is ${bytes.byteLength} octets, at most 255`);
    return { type: item.type, bytes };
  });
  const itemsBytes = items.reduce((sum, item) => sum + 2 + item.bytes.byteLength, 0);
  // SSRC + items + 1..4 null octets to the next 32-bit boundary.
  return { ssrc: chunk.ssrc, items, byteLength: 4 + ((itemsBytes + 4) & ~3) };
}

export function serializeSourceDescription(packet: RtcpSourceDescription): Uint8Array {
  const chunks = packet.chunks.map(encodedChunk);
  const { bytes, view } = allocateRtcpPacket({
    packetType: RTCP_PACKET_TYPE.SDES,
    count: chunks.length,
    bodyBytes: chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0),
  });
  let offset = 4;
  for (const chunk of chunks) {
    view.setUint32(offset, chunk.ssrc);
    let itemOffset = offset + 4;
    for (const item of chunk.items) {
      bytes[itemOffset] = item.type;
      bytes[itemOffset + 1] = item.bytes.byteLength;
      bytes.set(item.bytes, itemOffset + 2);
      itemOffset += 2 + item.bytes.byteLength;
    }
    offset += chunk.byteLength; // the rest of the chunk stays zero: end marker and padding
  }
  return bytes;
}

/** The CNAME of `ssrc` in an SDES packet, if present. */
export function cnameOf(packet: RtcpSourceDescription, ssrc: number): string | undefined {
  return packet.chunks.find((chunk) => chunk.ssrc === ssrc)?.items.find((item) => item.type === SDES_ITEM_TYPE.CNAME)?.text;
}
