/**
 * RFC 3550 §6.4.1 reception report block, 24 octets, in SR and RR packets:
 *
 *    +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *    |                 SSRC_1 (SSRC of first source)                 |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    | fraction lost |       cumulative number of packets lost       |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |           extended highest sequence number received           |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                      interarrival jitter                      |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                         last SR (LSR)                         |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                   delay since last SR (DLSR)                  |
 *    +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 */
import type { RtcpReportBlock } from './rtcp-types.ts';

export const REPORT_BLOCK_BYTES = 24;

export function readReportBlock(view: DataView, offset: number): RtcpReportBlock {
  const lostWord = view.getUint32(offset + 4);
  // 24-bit two's complement.
  const cumulativeLost = (lostWord & 0x80_0000) !== 0 ? (lostWord & 0xff_ffff) - 0x100_0000 : lostWord & 0xff_ffff;
  return {
    ssrc: view.getUint32(offset),
    fractionLost: lostWord >>> 24,
    cumulativeLost,
    extendedHighestSequence: view.getUint32(offset + 8),
    jitter: view.getUint32(offset + 12),
    lastSenderReport: view.getUint32(offset + 16),
    delaySinceLastSenderReport: view.getUint32(offset + 20),
  };
}

export function writeReportBlock(view: DataView, offset: number, block: RtcpReportBlock): void {
  if (block.cumulativeLost < -0x80_0000 || block.cumulativeLost > 0x7f_ffff) {
    throw new RangeError(`cumulative lost ${block.cumulativeLost} does not fit in 24 signed bits`);
  }
  view.setUint32(offset, block.ssrc);
  view.setUint32(offset + 4, (((block.fractionLost & 0xff) << 24) | (block.cumulativeLost & 0xff_ffff)) >>> 0);
  view.setUint32(offset + 8, block.extendedHighestSequence);
  view.setUint32(offset + 12, block.jitter);
  view.setUint32(offset + 16, block.lastSenderReport);
  view.setUint32(offset + 20, block.delaySinceLastSenderReport);
}
