/**
 * Builds RFC 3550 §6.4.1 report blocks from reception statistics and the
 * last SR heard from each source (for LSR and DLSR).
 */
import type { ReceiveStatistics } from '../rtp/receive-statistics.ts';
import { msToCompactNtp } from './ntp-time.ts';
import type { RtcpReportBlock } from './rtcp-types.ts';

/** What we remember of the last SR received from a source. */
export interface LastSenderReportInfo {
  /** Middle 32 bits of its NTP timestamp (becomes LSR). */
  readonly ntpMiddle32: number;
  /** When it arrived, on our monotonic clock. */
  readonly arrivalTimeMs: number;
}

export interface BuildReportBlockOptions {
  readonly statistics: ReceiveStatistics;
  readonly lastSenderReport: LastSenderReportInfo | null;
  readonly nowMs: number;
}

/**
 * One report block; starts a new loss interval for the source (A.3).
 * §6.4.1: "LSR ... If no SR has been received yet, the field is set to zero."
 * "DLSR ... expressed in units of 1/65536 seconds ... If no SR packet has been
 * received yet from SSRC_n, the DLSR field is set to zero."
 */
export function buildReportBlock(options: BuildReportBlockOptions): RtcpReportBlock {
  const interval = options.statistics.takeInterval();
  const lastSr = options.lastSenderReport;
  return {
    ssrc: interval.ssrc,
    fractionLost: interval.fractionLost,
    cumulativeLost: interval.cumulativeLost,
    extendedHighestSequence: interval.extendedHighestSequence,
    jitter: interval.jitter,
    lastSenderReport: lastSr ? lastSr.ntpMiddle32 : 0,
    delaySinceLastSenderReport: lastSr ? msToCompactNtp(options.nowMs - lastSr.arrivalTimeMs) : 0,
  };
}
