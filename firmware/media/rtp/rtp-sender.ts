/**
 * The sending side of one RTP stream (RFC 3550 §5.1, RFC 3551 §4.1): owns the
 * SSRC, sequence number and timestamp, turns payloads into `RtpPacket`s and
 * counts what was sent for the RTCP sender report (§6.4.1). Pure apart from
 * the random numbers, which are injectable.
 */
import type { RtpPacket } from '../types.ts';
import { cryptoRandomUint32, type RandomUint32 } from './random-uint32.ts';
import { addSequence } from './sequence.ts';
import { addTimestamp } from './timestamp.ts';

export interface RtpSenderOptions {
  /** Payload type used when `packetize` is not given one. */
  readonly payloadType: number;
  /** RTP clock rate, for the RTP timestamp of sender reports. */
  readonly clockRateHz: number;
  /** Random source for SSRC, first sequence number and first timestamp (default: crypto). */
  readonly randomUint32?: RandomUint32;
  /** Fixed start values (tests, fixtures); random when absent. */
  readonly ssrc?: number;
  readonly initialSequenceNumber?: number;
  readonly initialTimestamp?: number;
}

export interface PacketizeOptions {
  /**
   * Timestamp units this payload covers (e.g. 160 for 20 ms of PCMU): the
   * packet carries the current timestamp, and the next one is this much later.
   * 0 keeps the timestamp (RFC 4733 event updates).
   */
  readonly timestampIncrement: number;
  /** Forces the marker bit; when absent it is set on the first packet of a talk spurt. */
  readonly marker?: boolean;
  readonly payloadType?: number;
  /** Sending time (monotonic ms), for the RTP timestamp of sender reports. */
  readonly nowMs?: number;
  readonly csrcs?: readonly number[];
}

export interface SsrcChange {
  readonly previousSsrc: number;
  readonly ssrc: number;
}

export class RtpSender {
  private currentSsrc: number;
  private sequenceNumber: number;
  private nextTimestamp: number;
  private talkSpurtPending = true;
  private packets = 0;
  private octets = 0;
  private lastSent: { readonly timestamp: number; readonly nowMs: number } | null = null;
  private readonly random: RandomUint32;

  constructor(private readonly options: RtpSenderOptions) {
    this.random = options.randomUint32 ?? cryptoRandomUint32;
    this.currentSsrc = options.ssrc ?? this.random() >>> 0;
    this.sequenceNumber = options.initialSequenceNumber ?? this.random() & 0xffff;
    this.nextTimestamp = options.initialTimestamp ?? this.random() >>> 0;
  }

  get ssrc(): number {
    return this.currentSsrc;
  }

  /** §6.4.1 sender's packet count since this SSRC started. */
  get packetCount(): number {
    return this.packets;
  }

  /** §6.4.1 sender's octet count: payload octets only, no header or padding. */
  get octetCount(): number {
    return this.octets;
  }

  /** Monotonic time of the last packet, or null before the first. */
  get lastSendTimeMs(): number | null {
    return this.lastSent?.nowMs ?? null;
  }

  /** The sequence number and timestamp the next packet will carry. */
  get next(): { readonly sequenceNumber: number; readonly timestamp: number } {
    return { sequenceNumber: this.sequenceNumber, timestamp: this.nextTimestamp };
  }

  /**
   * RFC 3551 §4.1: "the first packet of a talkspurt, that is, the first packet
   * after a silence period during which packets have not been transmitted
   * contiguously, SHOULD be distinguished by setting the marker bit". The
   * first packet of the stream is the first of a talk spurt.
   */
  beginTalkSpurt(): void {
    this.talkSpurtPending = true;
  }

  /**
   * Silence not sent: the timestamp keeps counting sampling instants (RFC 3550
   * §5.1), the sequence number does not, and the next packet starts a talk spurt.
   */
  skip(timestampUnits: number): void {
    this.nextTimestamp = addTimestamp(this.nextTimestamp, timestampUnits);
    this.talkSpurtPending = true;
  }

  /** One RTP packet for `payload`, advancing sequence number and timestamp. */
  packetize(payload: Uint8Array, options: PacketizeOptions): RtpPacket {
    const packet: RtpPacket = {
      version: 2,
      paddingBytes: 0,
      marker: options.marker ?? this.talkSpurtPending,
      payloadType: options.payloadType ?? this.options.payloadType,
      sequenceNumber: this.sequenceNumber,
      timestamp: this.nextTimestamp,
      ssrc: this.currentSsrc,
      csrcs: options.csrcs ?? [],
      extension: null,
      payload,
    };
    this.talkSpurtPending = false;
    this.sequenceNumber = addSequence(this.sequenceNumber, 1);
    this.nextTimestamp = addTimestamp(this.nextTimestamp, options.timestampIncrement);
    this.packets++;
    this.octets += payload.byteLength;
    if (options.nowMs !== undefined) this.lastSent = { timestamp: packet.timestamp, nowMs: options.nowMs };
    return packet;
  }

  /**
   * RFC 3550 §6.4.1: the SR's RTP timestamp "corresponds to the same time as
   * the NTP timestamp ... but in the same units and with the same random
   * offset as the RTP timestamps in data packets": extrapolated from the last
   * packet sent at the RTP clock rate.
   */
  rtpTimestampAt(nowMs: number): number {
    if (!this.lastSent) return this.nextTimestamp;
    const elapsedUnits = Math.round(((nowMs - this.lastSent.nowMs) * this.options.clockRateHz) / 1000);
    return addTimestamp(this.lastSent.timestamp, elapsedUnits);
  }

  /**
   * RFC 3550 §8.2: after an SSRC collision (or on request) pick a new random
   * SSRC, different from the old one and from `avoid`. §6.4.1: the sender's
   * counts are reset with the SSRC. Sequence number and timestamp go on.
   */
  changeSsrc(avoid: ReadonlySet<number> = new Set()): SsrcChange {
    const previousSsrc = this.currentSsrc;
    let ssrc = this.random() >>> 0;
    for (let attempt = 0; (ssrc === previousSsrc || avoid.has(ssrc)) && attempt < 100; attempt++) ssrc = this.random() >>> 0;
    if (ssrc === previousSsrc || avoid.has(ssrc)) throw new Error('random source keeps returning a colliding SSRC');
    this.currentSsrc = ssrc;
    this.packets = 0;
    this.octets = 0;
    this.lastSent = null;
    this.talkSpurtPending = true;
    return { previousSsrc, ssrc };
  }
}
