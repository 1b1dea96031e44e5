/** What an `RtpSession` tells the media pipeline, the UI and the logs. */
import type { RtpPacket } from '../types.ts';
import type { RtcpReportBlock, RtcpSenderInfo } from '../rtcp/rtcp-types.ts';
import type { RtpEndpoint } from './rtp-endpoint.ts';

export type RtpSessionEvent =
  | {
      /** An RTP packet from the accepted peer, in arrival order (not reordered: that is the jitter buffer's job). */
      readonly type: 'rtp-packet';
      readonly packet: RtpPacket;
      /** Monotonic ms on the session's `Clock`. */
      readonly arrivalTimeMs: number;
      readonly from: RtpEndpoint;
      /** False while the source is on RFC 3550 A.1 probation (first packet of a new SSRC). */
      readonly sourceValidated: boolean;
    }
  | {
      /** An SR or RR from the peer (RFC 3550 §6.4). */
      readonly type: 'rtcp-report';
      readonly ssrc: number;
      readonly senderInfo: RtcpSenderInfo | null;
      /** The peer's reception report about our stream, if it had one. */
      readonly reportBlock: RtcpReportBlock | null;
      /** The peer's loss of our packets over its last interval, in percent. */
      readonly fractionLostPercent: number | null;
      /** The peer's interarrival jitter of our stream, in ms. */
      readonly jitterMs: number | null;
      /** §6.4.1 round-trip time, when the block echoed one of our SRs. */
      readonly roundTripTimeMs: number | null;
      readonly arrivalTimeMs: number;
    }
  | {
      /** Symmetric RTP (RFC 4961) latching: we now send to where the peer's packets come from. */
      readonly type: 'remote-latched';
      readonly channel: 'rtp' | 'rtcp';
      /** Where we were sending before (the signalled address), null if none was known. */
      readonly previous: RtpEndpoint | null;
      readonly latched: RtpEndpoint;
    }
  | {
      /**
       * `remote`: the peer's stream now has another SSRC (restart, re-INVITE, collision):
       * decoder and jitter buffer state of the old one is stale.
       * `local`: we changed ours after a collision (RFC 3550 §8.2).
       */
      readonly type: 'ssrc-changed';
      readonly side: 'remote' | 'local';
      readonly previousSsrc: number | null;
      readonly ssrc: number;
    }
  | {
      /** RTCP BYE from the peer (RFC 3550 §6.6). */
      readonly type: 'remote-bye';
      readonly ssrcs: readonly number[];
      readonly reason: string | null;
    };

/** Counters and quality figures for the UI and logs. */
export interface RtpSessionStatistics {
  readonly localSsrc: number;
  /** SSRC of the peer's current stream. */
  readonly remoteSsrc: number | null;
  readonly remoteCname: string | null;
  readonly packetsSent: number;
  /** Payload octets sent (RFC 3550 §6.4.1 octet count semantics), over the whole session. */
  readonly octetsSent: number;
  /** RTP packets accepted from the peer (all its SSRCs). */
  readonly packetsReceived: number;
  readonly octetsReceived: number;
  /** Of the current remote stream (RFC 3550 A.3). */
  readonly packetsLost: number;
  readonly lossPercent: number;
  /** Interarrival jitter of the current remote stream, ms. */
  readonly jitterMs: number;
  /** From the peer's last report about us. */
  readonly remoteLossPercent: number | null;
  readonly remoteCumulativeLost: number | null;
  readonly remoteJitterMs: number | null;
  /** Latest RTT from RTCP (RFC 3550 §6.4.1), ms. */
  readonly roundTripTimeMs: number | null;
  readonly rtcpPacketsSent: number;
  readonly rtcpPacketsReceived: number;
  /** Datagrams that were neither valid RTP nor valid RTCP. */
  readonly malformedPackets: number;
  /** Valid packets dropped for coming from somewhere other than the accepted peer. */
  readonly ignoredPackets: number;
  /** RTP packets dropped by RFC 3550 A.1 (large sequence jump not yet confirmed). */
  readonly discardedPackets: number;
  /** Where RTP and RTCP go now. */
  readonly remoteRtp: RtpEndpoint | null;
  readonly remoteRtcp: RtpEndpoint | null;
  readonly latched: boolean;
}
