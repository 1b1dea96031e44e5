/**
 * RFC 4733 §2.5.2 receiver procedures for telephone-events, as a pure state
 * machine fed with received packets (`receive`) and the time (`tick`). Each
 * event is reported once when it begins and once when it ends, with its
 * duration, however its packets arrive:
 *   - lost start packets: the first packet seen begins the event (marker or not);
 *   - lost end packets: the event ends `endTimeoutMs` after its last packet;
 *   - repeated end packets (§2.5.1.4) and late updates: ignored;
 *   - reordering: the duration only grows until the E bit fixes it;
 *   - a new timestamp: a new event (§2.5.2.2), ending the previous one;
 *   - long events (§2.5.1.3/§2.5.2.4): a segment that continues the same event
 *     at timestamp + 0xFFFF is the same event, durations add up.
 */
import type { RtpPacket } from '../types.ts';
import { dtmfEventToDigit, type DtmfDigit } from './dtmf-digits.ts';
import { decodeTelephoneEvents, MAX_EVENT_DURATION_UNITS } from './telephone-event-payload.ts';

export interface TelephoneEventReceiverOptions {
  /** RFC 4733 §7.1.1 `rate`: 8000 unless negotiated otherwise. */
  readonly clockRateHz?: number;
  /** How long after its last packet an event without an end packet is taken as ended. */
  readonly endTimeoutMs?: number;
}

export type TelephoneEventEndCause = 'end-bit' | 'timeout' | 'next-event';

export type TelephoneEventNotice =
  | {
      readonly kind: 'begin';
      readonly event: number;
      /** Null for events that are not DTMF (codes 16 and up). */
      readonly digit: DtmfDigit | null;
      /** RTP timestamp of the event start. */
      readonly timestamp: number;
      readonly atMs: number;
    }
  | {
      readonly kind: 'end';
      readonly event: number;
      readonly digit: DtmfDigit | null;
      readonly timestamp: number;
      readonly durationUnits: number;
      readonly durationMs: number;
      readonly endedBy: TelephoneEventEndCause;
      readonly atMs: number;
    };

interface ReceivingEvent {
  readonly event: number;
  readonly timestamp: number;
  /** Timestamp of the current segment, and the units of the segments before it. */
  segmentTimestamp: number;
  segmentBaseUnits: number;
  durationUnits: number;
  lastPacketMs: number;
}

const DEFAULT_CLOCK_RATE_HZ = 8000;
const DEFAULT_END_TIMEOUT_MS = 300;
/** Packets at most this much older than the newest event are stale; anything further back is taken as a timestamp jump. */
const STALE_WINDOW_SECONDS = 10;

export class TelephoneEventReceiver {
  private readonly clockRateHz: number;
  private readonly endTimeoutMs: number;
  private readonly staleWindowUnits: number;
  private active: ReceivingEvent | null = null;
  /** Segment timestamp of the newest event seen (ended or not). */
  private newestTimestamp: number | null = null;

  constructor(options: TelephoneEventReceiverOptions = {}) {
    this.clockRateHz = options.clockRateHz ?? DEFAULT_CLOCK_RATE_HZ;
    this.endTimeoutMs = options.endTimeoutMs ?? DEFAULT_END_TIMEOUT_MS;
    this.staleWindowUnits = STALE_WINDOW_SECONDS * this.clockRateHz;
  }

  /** The event in progress, if any. */
  get current(): { readonly event: number; readonly digit: DtmfDigit | null; readonly durationUnits: number } | null {
    const active = this.active;
    if (active === null) return null;
    return { event: active.event, digit: dtmfEventToDigit(active.event), durationUnits: active.segmentBaseUnits + active.durationUnits };
  }

  /** Forget everything (new SSRC, new session). */
  reset(): void {
    this.active = null;
    this.newestTimestamp = null;
  }

  /** Ends an event whose packets stopped arriving. */
  tick(nowMs: number): TelephoneEventNotice[] {
    const notices: TelephoneEventNotice[] = [];
    const active = this.active;
    if (active !== null && nowMs - active.lastPacketMs >= this.endTimeoutMs) this.finish(active, 'timeout', nowMs, notices);
    return notices;
  }

  /** Feeds one received telephone-event packet (already matched on the negotiated payload type). */
  receive(packet: Pick<RtpPacket, 'timestamp' | 'marker' | 'payload'>, nowMs: number): TelephoneEventNotice[] {
    const notices = this.tick(nowMs);
    // A payload of several blocks (RFC 4733 §2.5.1.5) is read by its first block,
    // the one the RTP timestamp belongs to. Malformed payloads are dropped.
    const block = decodeTelephoneEvents(packet.payload)?.[0];
    if (block === undefined) return notices;
    const timestamp = packet.timestamp >>> 0;
    const active = this.active;

    if (active !== null) {
      if (timestamp === active.segmentTimestamp) {
        if (block.event === active.event) this.update(active, block.durationUnits, block.end, nowMs, notices);
        return notices;
      }
      // RFC 4733 §2.5.2.4: the next segment of a long event.
      if (timestamp === ((active.segmentTimestamp + MAX_EVENT_DURATION_UNITS) >>> 0) && block.event === active.event) {
        active.segmentBaseUnits += MAX_EVENT_DURATION_UNITS;
        active.segmentTimestamp = timestamp;
        active.durationUnits = 0;
        this.newestTimestamp = timestamp;
        this.update(active, block.durationUnits, block.end, nowMs, notices);
        return notices;
      }
    }
    if (this.isStale(timestamp)) return notices;
    // RFC 4733 §2.5.2.2: a new timestamp is a new event; the previous one is over.
    if (active !== null) this.finish(active, 'next-event', nowMs, notices);
    const started: ReceivingEvent = {
      event: block.event,
      timestamp,
      segmentTimestamp: timestamp,
      segmentBaseUnits: 0,
      durationUnits: 0,
      lastPacketMs: nowMs,
    };
    this.active = started;
    this.newestTimestamp = timestamp;
    notices.push({ kind: 'begin', event: block.event, digit: dtmfEventToDigit(block.event), timestamp, atMs: nowMs });
    this.update(started, block.durationUnits, block.end, nowMs, notices);
    return notices;
  }

  /** At or before the newest event seen, within the stale window: a late or repeated packet. */
  private isStale(timestamp: number): boolean {
    if (this.newestTimestamp === null) return false;
    const behindUnits = (this.newestTimestamp - timestamp) >>> 0;
    return behindUnits < this.staleWindowUnits;
  }

  private update(event: ReceivingEvent, durationUnits: number, end: boolean, nowMs: number, notices: TelephoneEventNotice[]): void {
    event.lastPacketMs = nowMs;
    // RFC 4733 §2.5.2.2: updates may arrive out of order; the longest duration so
    // far stands until the final packet gives the exact one.
    event.durationUnits = end ? durationUnits : Math.max(event.durationUnits, durationUnits);
    if (end) this.finish(event, 'end-bit', nowMs, notices);
  }

  private finish(event: ReceivingEvent, endedBy: TelephoneEventEndCause, nowMs: number, notices: TelephoneEventNotice[]): void {
    this.active = null;
    const durationUnits = event.segmentBaseUnits + event.durationUnits;
    notices.push({
      kind: 'end',
      event: event.event,
      digit: dtmfEventToDigit(event.event),
      timestamp: event.timestamp,
      durationUnits,
      durationMs: (durationUnits * 1000) / this.clockRateHz,
      endedBy,
      atMs: nowMs,
    });
  }
}
