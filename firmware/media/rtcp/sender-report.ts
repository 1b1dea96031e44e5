/**
 * RFC 3550 §6.4.1 SR: Sender Report RTCP packet.
 *
 *            0                   1                   2                   3
 *            0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *           +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    header |V=2|P|    RC   |   PT=SR=200   |             length            |
 *           +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *           |                         SSRC of sender                        |
 *           +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *    sender |              NTP timestamp, most significant word             |
 *    info   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *           |             NTP timestamp, least significant word             |
 *           +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *           |                         RTP timestamp                         |
 *           +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *           |                     sender's packet count                     |
 *           +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *           |                      sender's octet count                     |
 *           +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *    report |                 report blocks (24 octets each)                |
 *    blocks +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *           |                  profile-specific extensions                  |
 *           +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
import { REPORT_BLOCK_BYTES, readReportBlock, writeReportBlock } from './report-block.ts';
import { allocateRtcpPacket, RTCP_HEADER_BYTES } from './rtcp-header.ts';
import { RTCP_PACKET_TYPE, rtcpFail, type RtcpParseResult, type RtcpReportBlock, type RtcpSenderReport } from './rtcp-types.ts';

const SENDER_PART_BYTES = 24; // SSRC + 20 octets of sender info

/** Parses the body (after the common header, padding removed) of an SR with `count` report blocks. */
export function parseSenderReport(body: Uint8Array, count: number): RtcpParseResult<RtcpSenderReport> {
  if (body.byteLength < SENDER_PART_BYTES) return rtcpFail('too-short', `SR body of ${body.byteLength} octets, sender info needs ${SENDER_PART_BYTES}`);
  const blocksEnd = SENDER_PART_BYTES + count * REPORT_BLOCK_BYTES;
  if (blocksEnd > body.byteLength) {
    return rtcpFail('report-blocks-overrun', `SR with RC=${count} needs ${blocksEnd} body octets, has ${body.byteLength}`);
  }
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const reportBlocks: RtcpReportBlock[] = [];
  for (let i = 0; i < count; i++) reportBlocks.push(readReportBlock(view, SENDER_PART_BYTES + i * REPORT_BLOCK_BYTES));
  return {
    ok: true,
    value: {
      type: 'sr',
      ssrc: view.getUint32(0),
      senderInfo: {
        ntpTimestamp: { seconds: view.getUint32(4), fraction: view.getUint32(8) },
        rtpTimestamp: view.getUint32(12),
        packetCount: view.getUint32(16),
        octetCount: view.getUint32(20),
      },
      reportBlocks,
      profileExtension: body.subarray(blocksEnd),
    },
  };
}

export function serializeSenderReport(report: RtcpSenderReport): Uint8Array {
  const blocksEnd = RTCP_HEADER_BYTES + SENDER_PART_BYTES + report.reportBlocks.length * REPORT_BLOCK_BYTES;
  const { bytes, view } = allocateRtcpPacket({
    packetType: RTCP_PACKET_TYPE.SR,
    count: report.reportBlocks.length,
    bodyBytes: blocksEnd - RTCP_HEADER_BYTES + report.profileExtension.byteLength,
  });
  view.setUint32(4, report.ssrc);
  view.setUint32(8, report.senderInfo.ntpTimestamp.seconds);
  view.setUint32(12, report.senderInfo.ntpTimestamp.fraction);
  view.setUint32(16, report.senderInfo.rtpTimestamp);
  view.setUint32(20, report.senderInfo.packetCount >>> 0);
  view.setUint32(24, report.senderInfo.octetCount >>> 0);
  report.reportBlocks.forEach((block, i) => writeReportBlock(view, RTCP_HEADER_BYTES + SENDER_PART_BYTES + i * REPORT_BLOCK_BYTES, block));
  bytes.set(report.profileExtension, blocksEnd);
  return bytes;
}
