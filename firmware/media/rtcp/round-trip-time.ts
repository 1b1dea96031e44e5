/**
 * Round-trip time from a reception report block (RFC 3550 §6.4.1, Figure 2):
 * "the source may compute the total round-trip time to the receiver ...
 * A - LSR - DLSR", where A is the middle 32 bits of the NTP time at which the
 * report arrived, LSR the middle 32 bits of the SR it echoes and DLSR the
 * receiver's holding delay, all in 1/65536 s.
 *
 *         [10 Nov 1995 11:33:25.125 UTC]       [10 Nov 1995 11:33:36.5 UTC]
 *         n                 SR(n)              A=b710:8000 (46864.500 s)
 *         ---------------------------------------------------------------->
 *                            v                 ^
 *          ntp_sec =0xb44db705 v               ^ dlsr=0x0005:4000 (    5.250s)
 *          ntp_frac=0x20000000  v             ^  lsr =0xb705:2000 (46853.125s)
 *            (3024992005.125 s)  v           ^
 *         r                      v           ^ RR(n)
 *         ---------------------------------------------------------------->
 *                                |<-DLSR->|
 *                                 (5.250 s)
 *
 *         A     0xb710:8000 (46864.500 s)
 *         DLSR -0x0005:4000 (    5.250 s)
 *         LSR  -0xb705:2000 (46853.125 s)
 *         -------------------------------
 *         delay 0x0006:2000 (    6.125 s)
 */
import { compactNtpToMs } from './ntp-time.ts';
import type { RtcpReportBlock } from './rtcp-types.ts';

/** Differences this far below zero are rounding of the 1/65536 s units (clamped to 0); larger ones are bogus. */
const ROUNDING_TOLERANCE_UNITS = 2;

/**
 * Round-trip time in milliseconds, or null when the block carries no LSR
 * (no SR received yet by the reporter) or the arithmetic comes out negative.
 */
export function roundTripTimeMs(block: Pick<RtcpReportBlock, 'lastSenderReport' | 'delaySinceLastSenderReport'>, arrivalNtpMiddle32: number): number | null {
  if (block.lastSenderReport === 0) return null;
  const units = (arrivalNtpMiddle32 - block.lastSenderReport - block.delaySinceLastSenderReport) | 0;
  if (units < -ROUNDING_TOLERANCE_UNITS) return null;
  return compactNtpToMs(Math.max(0, units));
}
