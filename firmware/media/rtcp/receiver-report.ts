/**
 * RFC 3550 §6.4.2 RR: Receiver Report RTCP packet.
 *
 *            0                   1                   2                   3
 *            0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *           +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    header |V=2|P|    RC   |   PT=RR=201   |             length            |
 *           +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *           |                     SSRC of packet sender                     |
 *           +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *    report |                 report blocks (24 octets each)                |
 *    blocks +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *           |                  profile-specific extensions                  |
 *           +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
import { REPORT_BLOCK_BYTES, readReportBlock, writeReportBlock } from './report-block.ts';
import { allocateRtcpPacket, RTCP_HEADER_BYTES } from './rtcp-header.ts';
import { RTCP_PACKET_TYPE, rtcpFail, type RtcpParseResult, type RtcpReceiverReport, type RtcpReportBlock } from './rtcp-types.ts';

/** Parses the body (after the common header, padding removed) of an RR with `count` report blocks. */
export function parseReceiverReport(body: Uint8Array, count: number): RtcpParseResult<RtcpReceiverReport> {
  if (body.byteLength < 4) return rtcpFail('too-short', `RR body of ${body.byteLength} octets has no SSRC`);
  const blocksEnd = 4 + count * REPORT_BLOCK_BYTES;
  if (blocksEnd > body.byteLength) {
    return rtcpFail('report-blocks-overrun', `RR with RC=${count} needs ${blocksEnd} body octets, has ${body.byteLength}`);
  }
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const reportBlocks: RtcpReportBlock[] = [];
  for (let i = 0; i < count; i++) reportBlocks.push(readReportBlock(view, 4 + i * REPORT_BLOCK_BYTES));
  return { ok: true, value: { type: 'rr', ssrc: view.getUint32(0), reportBlocks, profileExtension: body.subarray(blocksEnd) } };
}

export function serializeReceiverReport(report: RtcpReceiverReport): Uint8Array {
  const blocksEnd = RTCP_HEADER_BYTES + 4 + report.reportBlocks.length * REPORT_BLOCK_BYTES;
  const { bytes, view } = allocateRtcpPacket({
    packetType: RTCP_PACKET_TYPE.RR,
    count: report.reportBlocks.length,
    bodyBytes: blocksEnd - RTCP_HEADER_BYTES + report.profileExtension.byteLength,
  });
  view.setUint32(4, report.ssrc);
  report.reportBlocks.forEach((block, i) => writeReportBlock(view, RTCP_HEADER_BYTES + 4 + i * REPORT_BLOCK_BYTES, block));
  bytes.set(report.profileExtension, blocksEnd);
  return bytes;
}
