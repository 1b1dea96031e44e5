/**
 * RTCP packets as values (RFC 3550 §6.4–§6.6). Packet types this firmware
 * does not interpret (APP, XR, feedback) are kept as `other` with their body.
 */
import type { NtpTimestamp } from './ntp-time.ts';

/** RFC 3550 §12.1 RTCP packet types. */
export const RTCP_PACKET_TYPE = { SR: 200, RR: 201, SDES: 202, BYE: 203, APP: 204 } as const;

/** RFC 3550 §12.2 SDES item types. */
export const SDES_ITEM_TYPE = { END: 0, CNAME: 1, NAME: 2, EMAIL: 3, PHONE: 4, LOC: 5, TOOL: 6, NOTE: 7, PRIV: 8 } as const;

/** RFC 3550 §6.4.1 reception report block. */
export interface RtcpReportBlock {
  /** SSRC of the source this block reports on. */
  readonly ssrc: number;
  /** Fraction lost since the previous report, 8-bit fixed point (lost / expected × 256). */
  readonly fractionLost: number;
  /** Cumulative packets lost, 24-bit signed. */
  readonly cumulativeLost: number;
  readonly extendedHighestSequence: number;
  /** Interarrival jitter in timestamp units. */
  readonly jitter: number;
  /** LSR: middle 32 bits of the NTP timestamp of the last SR received from the source, 0 if none. */
  readonly lastSenderReport: number;
  /** DLSR: delay since that SR, in 1/65536 s, 0 if none. */
  readonly delaySinceLastSenderReport: number;
}

export interface RtcpSenderInfo {
  readonly ntpTimestamp: NtpTimestamp;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
}

export interface RtcpSenderReport {
  readonly type: 'sr';
  readonly ssrc: number;
  readonly senderInfo: RtcpSenderInfo;
  readonly reportBlocks: readonly RtcpReportBlock[];
  /** Profile-specific extension after the report blocks (§6.4.1), usually empty. */
  readonly profileExtension: Uint8Array;
}

export interface RtcpReceiverReport {
  readonly type: 'rr';
  readonly ssrc: number;
  readonly reportBlocks: readonly RtcpReportBlock[];
  readonly profileExtension: Uint8Array;
}

export interface RtcpSdesItem {
  /** `SDES_ITEM_TYPE` value, 1..255. */
  readonly type: number;
  /** UTF-8 text (RFC 3550 §6.5), at most 255 octets. */
  readonly text: string;
}

export interface RtcpSdesChunk {
  readonly ssrc: number;
  readonly items: readonly RtcpSdesItem[];
}

export interface RtcpSourceDescription {
  readonly type: 'sdes';
  readonly chunks: readonly RtcpSdesChunk[];
}

export interface RtcpBye {
  readonly type: 'bye';
  readonly ssrcs: readonly number[];
  /** §6.6 optional "reason for leaving". */
  readonly reason: string | null;
}

/** Any other packet type (APP, XR, RTPFB, PSFB...), kept verbatim. */
export interface RtcpOtherPacket {
  readonly type: 'other';
  readonly packetType: number;
  /** The 5-bit count / subtype field. */
  readonly count: number;
  /** Everything after the 4-octet header, padding removed. */
  readonly body: Uint8Array;
}

export type RtcpPacket = RtcpSenderReport | RtcpReceiverReport | RtcpSourceDescription | RtcpBye | RtcpOtherPacket;

export type RtcpParseErrorReason =
  | 'too-short'
  | 'bad-version'
  | 'bad-length'
  | 'bad-padding'
  | 'padding-not-last'
  | 'report-blocks-overrun'
  | 'bad-sdes'
  | 'bad-bye'
  | 'first-not-report'
  | 'missing-cname';

export interface RtcpParseError {
  readonly reason: RtcpParseErrorReason;
  readonly detail: string;
}

export type RtcpParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: RtcpParseError };

export function rtcpFail<T>(reason: RtcpParseErrorReason, detail: string): RtcpParseResult<T> {
  return { ok: false, error: { reason, detail } };
}
