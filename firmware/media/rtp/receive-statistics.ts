/**
 * Reception statistics for one RTP source, as RFC 3550 defines them for
 * reception reports: sequence validation and extended sequence numbers
 * (Appendix A.1), expected / lost packets and the fraction lost per
 * reporting interval (A.3), and interarrival jitter (§6.4.1, A.8).
 *
 * Pure: arrival times are passed in (milliseconds on any monotonic clock).
 */
import { SourceSequence, type SequenceVerdict } from './source-sequence.ts';
import { timestampDelta, timestampUnitsToMs } from './timestamp.ts';

export interface ReceivedPacketInfo {
  readonly sequenceNumber: number;
  readonly timestamp: number;
  /** Payload octets (RFC 3550 §6.4.1 octet counts exclude header and padding). */
  readonly payloadBytes: number;
  readonly arrivalTimeMs: number;
}

export interface ReceiveStatisticsOptions {
  readonly ssrc: number;
  /** RTP clock rate of the source's payload format; jitter is kept in its units. */
  readonly clockRateHz: number;
  /** RFC 3550 A.1 MIN_SEQUENTIAL (default 2). */
  readonly minSequential?: number;
}

/** What one reception report block says about this source (RFC 3550 §6.4.1), before LSR/DLSR. */
export interface ReceptionInterval {
  readonly ssrc: number;
  /** Fraction lost since the previous report, as the 8-bit fixed-point number of §6.4.1 (0..255). */
  readonly fractionLost: number;
  /** Cumulative number of packets lost, clamped to the 24-bit signed field; negative with duplicates. */
  readonly cumulativeLost: number;
  readonly extendedHighestSequence: number;
  /** Interarrival jitter in timestamp units, truncated to an integer as on the wire. */
  readonly jitter: number;
}

export interface ReceiveStatisticsSnapshot {
  readonly ssrc: number;
  /** Every datagram of this source handed to `onPacket`, whatever the verdict. */
  readonly packetsReceived: number;
  readonly octetsReceived: number;
  /** A.3 `expected` since the source was validated. */
  readonly expected: number;
  /** A.3 `lost = expected - received` (not clamped; may be negative with duplicates). */
  readonly cumulativeLost: number;
  /** `cumulativeLost / expected` in percent (0 when nothing expected, never below 0). */
  readonly lossPercent: number;
  readonly extendedHighestSequence: number;
  readonly jitterUnits: number;
  readonly jitterMs: number;
  readonly validated: boolean;
  readonly lastArrivalTimeMs: number | null;
}

/** RFC 3550 §6.4.1: cumulative number of packets lost is a 24-bit signed field. */
const CUMULATIVE_LOST_MAX = 0x7f_ffff;
const CUMULATIVE_LOST_MIN = -0x80_0000;

export class ReceiveStatistics {
  readonly ssrc: number;
  readonly clockRateHz: number;
  private sequence: SourceSequence | null = null;
  private readonly minSequential: number | undefined;
  private packets = 0;
  private octets = 0;
  /** A.3 `expected_prior`, `received_prior`. */
  private expectedPrior = 0;
  private receivedPrior = 0;
  /** A.8 state: previous arrival (timestamp units) and RTP timestamp; `jitter` as a double. */
  private previousArrivalUnits: number | null = null;
  private previousTimestamp = 0;
  private jitter = 0;
  private lastArrivalMs: number | null = null;

  constructor(options: ReceiveStatisticsOptions) {
    this.ssrc = options.ssrc;
    this.clockRateHz = options.clockRateHz;
    this.minSequential = options.minSequential;
  }

  /** Accounts one received packet of this source; returns the A.1 verdict (discard on `bad-jump`). */
  onPacket(info: ReceivedPacketInfo): SequenceVerdict {
    this.packets++;
    this.octets += info.payloadBytes;
    this.lastArrivalMs = info.arrivalTimeMs;
    if (!this.sequence) {
      this.sequence = new SourceSequence(
        info.sequenceNumber,
        this.minSequential === undefined ? {} : { minSequential: this.minSequential },
      );
    }
    const wasValidated = this.sequence.validated;
    const verdict = this.sequence.update(info.sequenceNumber);
    if (verdict === 'restarted' || (verdict === 'valid' && !wasValidated)) {
      // A.1 init_seq ran: the loss accounting starts over.
      this.expectedPrior = 0;
      this.receivedPrior = 0;
    }
    if (verdict === 'restarted') this.previousArrivalUnits = null;
    if (verdict === 'valid' || verdict === 'restarted') this.updateJitter(info);
    return verdict;
  }

  /**
   * RFC 3550 A.8:
   *   int transit = arrival - r->ts;  int d = transit - s->transit;  s->transit = transit;
   *   if (d < 0) d = -d;  s->jitter += (1./16.) * ((double)d - s->jitter);
   * The transit difference is computed as (arrival delta) - (timestamp delta)
   * so the 2^32 timestamp wrap does not matter.
   */
  private updateJitter(info: ReceivedPacketInfo): void {
    const arrivalUnits = (info.arrivalTimeMs * this.clockRateHz) / 1000;
    if (this.previousArrivalUnits !== null) {
      const d = Math.abs(arrivalUnits - this.previousArrivalUnits - timestampDelta(info.timestamp, this.previousTimestamp));
      this.jitter += (d - this.jitter) / 16;
    }
    this.previousArrivalUnits = arrivalUnits;
    this.previousTimestamp = info.timestamp;
  }

  /**
   * RFC 3550 A.3: the numbers for one reception report block, and the start
   * of a new interval (the fraction lost covers the time since the previous
   * call).
   */
  takeInterval(): ReceptionInterval {
    const expected = this.sequence?.expected ?? 0;
    const received = this.sequence?.validated ? this.sequence.received : 0;
    const expectedInterval = expected - this.expectedPrior;
    this.expectedPrior = expected;
    const receivedInterval = received - this.receivedPrior;
    this.receivedPrior = received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: Math.max(CUMULATIVE_LOST_MIN, Math.min(CUMULATIVE_LOST_MAX, expected - received)),
      extendedHighestSequence: (this.sequence?.extendedHighestSequence ?? 0) >>> 0,
      jitter: Math.floor(this.jitter) >>> 0,
    };
  }

  snapshot(): ReceiveStatisticsSnapshot {
    const validated = this.sequence?.validated ?? false;
    const expected = this.sequence?.expected ?? 0;
    const received = validated ? (this.sequence?.received ?? 0) : 0;
    const lost = expected - received;
    return {
      ssrc: this.ssrc,
      packetsReceived: this.packets,
      octetsReceived: this.octets,
      expected,
      cumulativeLost: lost,
      lossPercent: expected > 0 ? Math.max(0, (lost * 100) / expected) : 0,
      extendedHighestSequence: this.sequence?.extendedHighestSequence ?? 0,
      jitterUnits: this.jitter,
      jitterMs: timestampUnitsToMs(this.jitter, this.clockRateHz),
      validated,
      lastArrivalTimeMs: this.lastArrivalMs,
    };
  }
}
