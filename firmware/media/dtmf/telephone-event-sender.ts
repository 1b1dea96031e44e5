/**
 * RFC 4733 §2.5.1 sender procedures for telephone-events, as a pure state
 * machine: `start()` a key press, `stop()` its release (or give the press a
 * duration up front), and call `tick(nowMs)` from the media loop; it returns
 * the payloads due by then, each with the RTP marker and timestamp the RTP
 * sender must put in the header (sequence numbers stay the RTP sender's).
 *
 * Timeline for one event (I = packet interval, D = event duration):
 *   t = start + k·I  update, duration (k+1)·I, marker on k = 0 only
 *   last update      E bit, duration D, sent 3 times I apart (§2.5.1.4)
 */
import { dtmfDigitToEvent, isDtmfDigit, type DtmfDigit } from './dtmf-digits.ts';
import { encodeTelephoneEvent, MAX_EVENT_DURATION_UNITS, volumeFieldForDbm0 } from './telephone-event-payload.ts';

export interface TelephoneEventSenderOptions {
  /** The payload type negotiated for telephone-event in SDP (RFC 4733 §2.5.1.1): never assumed. */
  readonly payloadType: number;
  /** RFC 4733 §7.1.1 `rate`: the RTP clock of telephone-event, 8000 unless negotiated otherwise. */
  readonly clockRateHz?: number;
  /** RFC 4733 §2.5.1.2 update interval: default 50 ms; pass the audio ptime to update once per packet time. */
  readonly packetIntervalMs?: number;
  /** RFC 4733 §2.5.1.6: the level reported in the volume field, in dBm0 (0 to -63). */
  readonly volumeDbm0?: number;
  /** RFC 4733 §2.5.1.4: how many times the final packet of an event (and of each segment) is sent. */
  readonly endPacketCount?: number;
}

export interface TelephoneEventStart {
  /** A DTMF digit, or an RFC 4733 event code 0..255. */
  readonly event: DtmfDigit | number;
  readonly nowMs: number;
  /** The RTP timestamp (in `clockRateHz` units) of the instant the event starts: RFC 4733 §2.3.1. */
  readonly rtpTimestamp: number;
  /** Known press length; omit it and call `stop()` on key release instead. */
  readonly durationMs?: number;
}

/** One telephone-event packet to hand to the RTP sender. */
export interface OutgoingTelephoneEvent {
  readonly payloadType: number;
  readonly marker: boolean;
  /** RTP timestamp: the start of the event, or of its segment (RFC 4733 §2.5.1.3). */
  readonly timestamp: number;
  readonly payload: Uint8Array;
  /** When this packet is due (on the `nowMs` time line). */
  readonly sendAtMs: number;
  /** E bit set. */
  readonly end: boolean;
  /** A repetition of a final packet (RFC 4733 §2.5.1.4). */
  readonly repeat: boolean;
}

interface SendingEvent {
  readonly event: number;
  readonly startMs: number;
  readonly rtpTimestamp: number;
  /** Event length in timestamp units once known, and when it became known. */
  endUnits: number | null;
  endKnownAtMs: number;
  /** Index k of the next update. */
  nextIndex: number;
  /** Segment of the last packet sent (RFC 4733 §2.5.1.3). */
  segment: number;
  sentFirst: boolean;
}

interface PendingRepeat {
  readonly packet: OutgoingTelephoneEvent;
  remaining: number;
  nextAtMs: number;
}

const DEFAULT_CLOCK_RATE_HZ = 8000;
const DEFAULT_PACKET_INTERVAL_MS = 50;
const DEFAULT_VOLUME_DBM0 = -10;
const DEFAULT_END_PACKET_COUNT = 3;

export class TelephoneEventSender {
  private readonly payloadType: number;
  private readonly clockRateHz: number;
  private readonly intervalMs: number;
  private readonly intervalUnits: number;
  private readonly volume: number;
  private readonly endPacketCount: number;
  private readonly events: SendingEvent[] = [];
  private readonly repeats: PendingRepeat[] = [];

  constructor(options: TelephoneEventSenderOptions) {
    if (!Number.isInteger(options.payloadType) || options.payloadType < 0 || options.payloadType > 127) {
      throw new RangeError(`telephone-event payload type must be 0..127: ${options.payloadType}`);
    }
    this.payloadType = options.payloadType;
    this.clockRateHz = options.clockRateHz ?? DEFAULT_CLOCK_RATE_HZ;
    this.intervalMs = options.packetIntervalMs ?? DEFAULT_PACKET_INTERVAL_MS;
    this.intervalUnits = Math.round((this.intervalMs * this.clockRateHz) / 1000);
    if (!(this.intervalUnits > 0)) throw new RangeError(`packet interval too short: ${this.intervalMs} ms`);
    this.volume = volumeFieldForDbm0(options.volumeDbm0 ?? DEFAULT_VOLUME_DBM0);
    this.endPacketCount = Math.max(1, options.endPacketCount ?? DEFAULT_END_PACKET_COUNT);
  }

  /** True while packets (updates or repetitions) remain to be sent. */
  get busy(): boolean {
    return this.events.length > 0 || this.repeats.length > 0;
  }

  /** Begins an event; an event still in progress is ended at `nowMs` first (events never overlap). */
  start(start: TelephoneEventStart): void {
    const event = typeof start.event === 'number' ? start.event : isDtmfDigit(start.event) ? dtmfDigitToEvent(start.event) : -1;
    if (!Number.isInteger(event) || event < 0 || event > 255) throw new RangeError(`not a telephone-event: ${String(start.event)}`);
    if (!Number.isInteger(start.rtpTimestamp) || start.rtpTimestamp < 0 || start.rtpTimestamp > 0xffffffff) {
      throw new RangeError(`RTP timestamp must be a 32-bit unsigned integer: ${start.rtpTimestamp}`);
    }
    for (const sending of this.events) if (sending.endUnits === null) this.end(sending, start.nowMs);
    const sending: SendingEvent = {
      event,
      startMs: start.nowMs,
      rtpTimestamp: start.rtpTimestamp,
      endUnits: null,
      endKnownAtMs: start.nowMs,
      nextIndex: 0,
      segment: 0,
      sentFirst: false,
    };
    this.events.push(sending);
    if (start.durationMs !== undefined) this.end(sending, start.nowMs, start.durationMs);
  }

  /** The key was released: the event ends now. */
  stop(nowMs: number): void {
    for (const sending of this.events) if (sending.endUnits === null) this.end(sending, nowMs);
  }

  /** Every packet due at or before `nowMs`, in sending order. */
  tick(nowMs: number): OutgoingTelephoneEvent[] {
    const out: OutgoingTelephoneEvent[] = [];
    for (;;) {
      let repeatIndex = -1;
      let dueMs = Infinity;
      this.repeats.forEach((repeat, index) => {
        if (repeat.nextAtMs < dueMs) {
          dueMs = repeat.nextAtMs;
          repeatIndex = index;
        }
      });
      const sending = this.events[0];
      const eventDueMs = sending === undefined ? Infinity : this.nextDueMs(sending);
      if (Math.min(dueMs, eventDueMs) > nowMs) return out;
      if (sending !== undefined && eventDueMs < dueMs) {
        this.emitEventPacket(sending, eventDueMs, out);
      } else {
        const repeat = this.repeats[repeatIndex];
        if (repeat === undefined) return out;
        out.push({ ...repeat.packet, sendAtMs: repeat.nextAtMs, repeat: true });
        repeat.remaining--;
        repeat.nextAtMs += this.intervalMs;
        if (repeat.remaining <= 0) this.repeats.splice(repeatIndex, 1);
      }
    }
  }

  private end(sending: SendingEvent, nowMs: number, durationMs = nowMs - sending.startMs): void {
    sending.endUnits = Math.max(0, Math.round((durationMs * this.clockRateHz) / 1000));
    sending.endKnownAtMs = nowMs;
  }

  /** Index of the update that carries the end: the first k with (k+1)·I ≥ D. */
  private endIndex(endUnits: number): number {
    return Math.max(0, Math.ceil(endUnits / this.intervalUnits) - 1);
  }

  private nextDueMs(sending: SendingEvent): number {
    const updateMs = sending.startMs + sending.nextIndex * this.intervalMs;
    if (sending.endUnits === null) return updateMs;
    const endIndex = this.endIndex(sending.endUnits);
    const endMs = Math.max(sending.startMs + endIndex * this.intervalMs, sending.endKnownAtMs);
    return sending.nextIndex < endIndex ? Math.min(updateMs, endMs) : endMs;
  }

  private emitEventPacket(sending: SendingEvent, atMs: number, out: OutgoingTelephoneEvent[]): void {
    const endUnits = sending.endUnits;
    const isEnd = endUnits !== null && sending.nextIndex >= this.endIndex(endUnits);
    const units = isEnd ? endUnits : (sending.nextIndex + 1) * this.intervalUnits;
    sending.nextIndex++;
    // RFC 4733 §2.5.1.3: past 0xFFFF units the event continues as a new segment whose
    // timestamp is the old one plus 0xFFFF; each finished segment ends with a
    // full-duration packet (no E bit: the event goes on), sent like a final packet.
    const segment = units === 0 ? 0 : Math.floor((units - 1) / MAX_EVENT_DURATION_UNITS);
    while (sending.segment < segment) {
      const segmentEnd = this.packet(sending, sending.segment, MAX_EVENT_DURATION_UNITS, false, atMs);
      out.push(segmentEnd);
      this.scheduleRepeats(segmentEnd, atMs);
      sending.segment++;
    }
    const packet = this.packet(sending, segment, units - segment * MAX_EVENT_DURATION_UNITS, isEnd, atMs);
    out.push(packet);
    if (isEnd) {
      this.scheduleRepeats(packet, atMs);
      this.events.splice(this.events.indexOf(sending), 1);
    }
  }

  private packet(sending: SendingEvent, segment: number, durationUnits: number, end: boolean, atMs: number): OutgoingTelephoneEvent {
    // RFC 4733 §2.5.1.2: the first packet of an event carries the marker bit.
    const marker = !sending.sentFirst;
    sending.sentFirst = true;
    return {
      payloadType: this.payloadType,
      marker,
      timestamp: (sending.rtpTimestamp + segment * MAX_EVENT_DURATION_UNITS) >>> 0,
      payload: encodeTelephoneEvent({ event: sending.event, end, volume: this.volume, durationUnits }),
      sendAtMs: atMs,
      end,
      repeat: false,
    };
  }

  /** RFC 4733 §2.5.1.4: the final packet is sent `endPacketCount` times in all, one interval apart. */
  private scheduleRepeats(packet: OutgoingTelephoneEvent, atMs: number): void {
    if (this.endPacketCount > 1) {
      this.repeats.push({ packet: { ...packet, marker: false }, remaining: this.endPacketCount - 1, nextAtMs: atMs + this.intervalMs });
    }
  }
}
