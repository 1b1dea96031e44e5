import type { JitterBufferStatistics } from '../jitter/jitter-buffer-statistics.ts';
import type { RtpSessionStatistics } from '../session/rtp-session-events.ts';
import type { MediaDirection } from './media-direction.ts';

/** Per-call media figures for the UI, the API and the call-end log line. */
export interface MediaStreamStatistics {
  readonly codec: string;
  readonly payloadType: number;
  readonly ptimeMs: number;
  readonly direction: MediaDirection;
  readonly muted: boolean;
  readonly dtmfMode: 'rfc4733' | 'in-band';
  readonly packetsSent: number;
  readonly packetsReceived: number;
  /** Receive side, RFC 3550 A.3: packets lost / expected, %, over the call. */
  readonly lossPercent: number;
  /** Receive side, RFC 3550 A.8 interarrival jitter, ms. */
  readonly jitterMs: number;
  /** From RTCP (RFC 3550 §6.4.1); null until an SR of ours has been echoed. */
  readonly roundTripTimeMs: number | null;
  /** What the peer reports about our stream (last RTCP report), or null. */
  readonly remoteLossPercent: number | null;
  readonly remoteJitterMs: number | null;
  /** Jitter buffer: the delay it aims for and holds, ms (see the jitter buffer's statistics). */
  readonly targetDelayMs: number;
  readonly bufferDelayMs: number;
  /** Audio made up for lost or late packets, ms. */
  readonly concealedMs: number;
  readonly packetsLate: number;
  readonly dtmfSent: number;
  readonly dtmfReceived: number;
  readonly rtp: RtpSessionStatistics;
  readonly jitterBuffer: JitterBufferStatistics;
}
