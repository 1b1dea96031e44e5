/**
 * The RTCP side of one RTP session as a pure state machine (RFC 3550 §6):
 * it keeps the member table (reception statistics per source, last SR heard,
 * CNAME), digests incoming compound packets into reports (with the
 * round-trip time of §6.4.1), builds our compound report (SR or RR, SDES
 * CNAME, optionally BYE) and computes the next transmission interval
 * (§6.3, A.7). Time is passed in; sockets and timers live in the session
 * adapter (firmware/media/session/rtp-session.ts).
 */
import type { RtpPacket } from '../types.ts';
import { ReceiveStatistics, type ReceiveStatisticsSnapshot } from '../rtp/receive-statistics.ts';
import type { RtpSender } from '../rtp/rtp-sender.ts';
import type { SequenceVerdict } from '../rtp/source-sequence.ts';
import { ntpFromUnixMs, ntpMiddle32 } from './ntp-time.ts';
import { buildReportBlock, type LastSenderReportInfo } from './report-block-builder.ts';
import { roundTripTimeMs } from './round-trip-time.ts';
import { serializeRtcpCompound } from './rtcp-compound.ts';
import { rtcpIntervalMs, updateAverageRtcpSize } from './rtcp-interval.ts';
import { SDES_ITEM_TYPE, type RtcpPacket, type RtcpReportBlock, type RtcpSenderInfo } from './rtcp-types.ts';
import { cnameOf } from './source-description.ts';

/** RFC 3550 §6.2: "the fraction of the session bandwidth added for RTCP be fixed at 5%". */
export const RTCP_BANDWIDTH_FRACTION = 0.05;
/** IPv4 (20) + UDP (8) headers: §6.3.3 counts them in the average RTCP packet size. */
export const IPV4_UDP_HEADER_BYTES = 28;
/** §6.3.5: a member silent for this many report intervals times out. */
const MEMBER_TIMEOUT_INTERVALS = 5;
/** RFC 3550 §6.4.1: at most 31 report blocks fit the 5-bit count. */
const MAX_REPORT_BLOCKS = 31;

export interface RtcpReporterOptions {
  /** Our canonical name (RFC 3550 §6.5.1), e.g. `user@host`. */
  readonly cname: string;
  /** RTP clock rate of the session's payloads (jitter is reported in its units). */
  readonly clockRateHz: number;
  /** Session bandwidth in bit/s (SDP b=AS); RTCP gets 5 %. Default 80 000 (G.711 with headers). */
  readonly sessionBandwidthBps?: number;
  /** RTCP_MIN_TIME (default 5000 ms). */
  readonly minimumIntervalMs?: number;
  /** Uniform in [0, 1), for the interval randomisation. */
  readonly random: () => number;
  /** Wall-clock time (ms since the Unix epoch) at a monotonic instant: the NTP timestamps of SRs. */
  readonly wallClockMsAt: (nowMs: number) => number;
  /** IP + UDP header octets added to each compound's size (default IPv4: 28). */
  readonly headerOverheadBytes?: number;
}

/** What an SR or RR from a peer told us. */
export interface RtcpReceivedReport {
  /** SSRC of the reporter. */
  readonly ssrc: number;
  /** Present for an SR. */
  readonly senderInfo: RtcpSenderInfo | null;
  /** The report block about our SSRC, if the packet had one. */
  readonly reportBlock: RtcpReportBlock | null;
  /** §6.4.1 A - LSR - DLSR, when the block echoes one of our SRs. */
  readonly roundTripTimeMs: number | null;
  readonly cname: string | null;
}

export interface RtcpReceivedBye {
  readonly ssrcs: readonly number[];
  readonly reason: string | null;
}

export interface RtcpDigest {
  readonly reports: readonly RtcpReceivedReport[];
  readonly byes: readonly RtcpReceivedBye[];
  /** SSRCs of SR/RR/SDES senders in the compound (for collision detection). */
  readonly ssrcs: readonly number[];
}

export interface BuiltRtcpReport {
  readonly packets: readonly RtcpPacket[];
  readonly bytes: Uint8Array;
}

interface Member {
  readonly ssrc: number;
  statistics: ReceiveStatistics | null;
  lastSenderReport: LastSenderReportInfo | null;
  cname: string | null;
  lastActivityMs: number;
  /** RTP packets received when the last / second-to-last report was sent. */
  packetsAtLastReport: number;
  packetsAtPreviousReport: number;
}

export class RtcpReporter {
  private readonly members = new Map<number, Member>();
  private averageRtcpSizeBytes: number;
  private initial = true;
  private rtpSentTotal = 0;
  private rtpSentAtLastReport = 0;
  private rtpSentAtPreviousReport = 0;
  private lastIntervalMs: number;
  private readonly headerOverheadBytes: number;

  constructor(private readonly options: RtcpReporterOptions) {
    this.headerOverheadBytes = options.headerOverheadBytes ?? IPV4_UDP_HEADER_BYTES;
    // §6.3.2: "avg_rtcp_size is set to the probable size of the first RTCP packet": RR + SDES CNAME.
    const cnameBytes = new TextEncoder().encode(options.cname).byteLength;
    this.averageRtcpSizeBytes = this.headerOverheadBytes + 8 + 8 + ((2 + cnameBytes + 4) & ~3);
    this.lastIntervalMs = options.minimumIntervalMs ?? 5000;
  }

  /** Accounts one received RTP packet (already known to come from the accepted peer). */
  onRtpPacket(packet: RtpPacket, arrivalTimeMs: number): { readonly verdict: SequenceVerdict; readonly newSource: boolean } {
    let member = this.members.get(packet.ssrc);
    const newSource = !member?.statistics;
    member ??= this.addMember(packet.ssrc, arrivalTimeMs);
    member.statistics ??= new ReceiveStatistics({ ssrc: packet.ssrc, clockRateHz: this.options.clockRateHz });
    member.lastActivityMs = arrivalTimeMs;
    const verdict = member.statistics.onPacket({
      sequenceNumber: packet.sequenceNumber,
      timestamp: packet.timestamp,
      payloadBytes: packet.payload.byteLength,
      arrivalTimeMs,
    });
    return { verdict, newSource };
  }

  /** Our RTP went out (for §6.3 we_sent and the SR/RR choice). */
  onRtpSent(): void {
    this.rtpSentTotal++;
  }

  /**
   * Digests one valid compound RTCP packet from the peer: remembers SRs (for
   * LSR/DLSR), CNAMEs, removes BYE'd sources, and computes the RTT from a
   * block about `localSsrc`.
   */
  onRtcpCompound(packets: readonly RtcpPacket[], options: { readonly arrivalTimeMs: number; readonly datagramBytes: number; readonly localSsrc: number }): RtcpDigest {
    const { arrivalTimeMs, localSsrc } = options;
    this.averageRtcpSizeBytes = updateAverageRtcpSize(this.averageRtcpSizeBytes, options.datagramBytes + this.headerOverheadBytes);
    const arrivalNtpMiddle = ntpMiddle32(ntpFromUnixMs(this.options.wallClockMsAt(arrivalTimeMs)));
    const reports: RtcpReceivedReport[] = [];
    const byes: RtcpReceivedBye[] = [];
    const ssrcs: number[] = [];

    for (const packet of packets) {
      if (packet.type === 'sdes') {
        for (const chunk of packet.chunks) {
          const cname = cnameOf(packet, chunk.ssrc);
          ssrcs.push(chunk.ssrc);
          if (chunk.ssrc === localSsrc) continue;
          const member = this.members.get(chunk.ssrc) ?? this.addMember(chunk.ssrc, arrivalTimeMs);
          member.lastActivityMs = arrivalTimeMs;
          if (cname !== undefined) member.cname = cname;
        }
      }
    }
    for (const packet of packets) {
      if (packet.type === 'sr' || packet.type === 'rr') {
        ssrcs.push(packet.ssrc);
        if (packet.ssrc === localSsrc) continue;
        const member = this.members.get(packet.ssrc) ?? this.addMember(packet.ssrc, arrivalTimeMs);
        member.lastActivityMs = arrivalTimeMs;
        if (packet.type === 'sr') {
          member.lastSenderReport = { ntpMiddle32: ntpMiddle32(packet.senderInfo.ntpTimestamp), arrivalTimeMs };
        }
        const reportBlock = packet.reportBlocks.find((block) => block.ssrc === localSsrc) ?? null;
        reports.push({
          ssrc: packet.ssrc,
          senderInfo: packet.type === 'sr' ? packet.senderInfo : null,
          reportBlock,
          roundTripTimeMs: reportBlock ? roundTripTimeMs(reportBlock, arrivalNtpMiddle) : null,
          cname: member.cname,
        });
      } else if (packet.type === 'bye') {
        // §6.3.4: on BYE the member is removed from the table.
        for (const ssrc of packet.ssrcs) this.members.delete(ssrc);
        byes.push({ ssrcs: packet.ssrcs, reason: packet.reason });
      }
    }
    return { reports, byes, ssrcs };
  }

  /**
   * Our compound report at `nowMs` (RFC 3550 §6.1, §6.4): SR if we sent RTP
   * since the report before last, else RR; a report block per source heard
   * since the last report; SDES CNAME; BYE last when leaving. Starts new
   * reporting intervals, so call it only for a report actually sent.
   */
  buildReport(options: { readonly nowMs: number; readonly sender: RtpSender; readonly bye?: { readonly reason: string | null } }): BuiltRtcpReport {
    const { nowMs, sender } = options;
    this.expireMembers(nowMs);
    const reportBlocks: RtcpReportBlock[] = [];
    for (const member of this.members.values()) {
      if (!member.statistics || reportBlocks.length >= MAX_REPORT_BLOCKS) continue;
      const received = member.statistics.snapshot().packetsReceived;
      // §6.4: "reception report blocks ... for sources heard since the last report".
      if (received > member.packetsAtLastReport && member.statistics.snapshot().validated) {
        reportBlocks.push(buildReportBlock({ statistics: member.statistics, lastSenderReport: member.lastSenderReport, nowMs }));
      }
      member.packetsAtPreviousReport = member.packetsAtLastReport;
      member.packetsAtLastReport = received;
    }
    const weSent = this.weSent();
    const ssrc = sender.ssrc;
    const report: RtcpPacket = weSent
      ? {
          type: 'sr',
          ssrc,
          senderInfo: {
            ntpTimestamp: ntpFromUnixMs(this.options.wallClockMsAt(nowMs)),
            rtpTimestamp: sender.rtpTimestampAt(nowMs),
            packetCount: sender.packetCount,
            octetCount: sender.octetCount,
          },
          reportBlocks,
          profileExtension: new Uint8Array(),
        }
      : { type: 'rr', ssrc, reportBlocks, profileExtension: new Uint8Array() };
    const packets: RtcpPacket[] = [report, { type: 'sdes', chunks: [{ ssrc, items: [{ type: SDES_ITEM_TYPE.CNAME, text: this.options.cname }] }] }];
    if (options.bye) packets.push({ type: 'bye', ssrcs: [ssrc], reason: options.bye.reason });
    const bytes = serializeRtcpCompound(packets);

    this.averageRtcpSizeBytes = updateAverageRtcpSize(this.averageRtcpSizeBytes, bytes.byteLength + this.headerOverheadBytes);
    this.rtpSentAtPreviousReport = this.rtpSentAtLastReport;
    this.rtpSentAtLastReport = this.rtpSentTotal;
    this.initial = false;
    return { packets, bytes };
  }

  /** §6.3 / A.7: the randomised delay until the next report, from the current member table. */
  nextIntervalMs(): number {
    const senders = [...this.members.values()].filter((m) => m.statistics && m.statistics.snapshot().packetsReceived > m.packetsAtPreviousReport).length;
    const weSent = this.weSent();
    this.lastIntervalMs = rtcpIntervalMs({
      members: this.members.size + 1,
      senders: senders + (weSent ? 1 : 0),
      rtcpBandwidthBytesPerSecond: ((this.options.sessionBandwidthBps ?? 80_000) / 8) * RTCP_BANDWIDTH_FRACTION,
      weSent,
      averageRtcpSizeBytes: this.averageRtcpSizeBytes,
      initial: this.initial,
      random: this.options.random,
      ...(this.options.minimumIntervalMs === undefined ? {} : { minimumIntervalMs: this.options.minimumIntervalMs }),
    });
    return this.lastIntervalMs;
  }

  /** §6.3 we_sent: "true if the application has sent data since the second previous RTCP report was transmitted". */
  weSent(): boolean {
    return this.rtpSentTotal > this.rtpSentAtPreviousReport;
  }

  /** Reception statistics of one source, or undefined if it never sent RTP. */
  sourceStatistics(ssrc: number): ReceiveStatisticsSnapshot | undefined {
    return this.members.get(ssrc)?.statistics?.snapshot();
  }

  cnameOf(ssrc: number): string | null {
    return this.members.get(ssrc)?.cname ?? null;
  }

  /** Members other than us (SSRCs heard in RTP or RTCP and not yet gone). */
  get memberSsrcs(): readonly number[] {
    return [...this.members.keys()];
  }

  get averageRtcpSize(): number {
    return this.averageRtcpSizeBytes;
  }

  private addMember(ssrc: number, nowMs: number): Member {
    const member: Member = { ssrc, statistics: null, lastSenderReport: null, cname: null, lastActivityMs: nowMs, packetsAtLastReport: 0, packetsAtPreviousReport: 0 };
    this.members.set(ssrc, member);
    return member;
  }

  /** §6.3.5: members not heard for 5 intervals (at least 5 × RTCP_MIN_TIME) time out. */
  private expireMembers(nowMs: number): void {
    const timeoutMs = MEMBER_TIMEOUT_INTERVALS * Math.max(this.lastIntervalMs, this.options.minimumIntervalMs ?? 5000);
    for (const [ssrc, member] of this.members) if (nowMs - member.lastActivityMs > timeoutMs) this.members.delete(ssrc);
  }
}
