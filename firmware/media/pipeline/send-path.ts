/**
 * The sending half of a call leg as a pure stage: one codec frame of captured
 * PCM in (ptime at the codec's sample rate), the RTP payloads due out. It
 * keeps the stream's media timeline in RTP timestamp units relative to the
 * stream's start (G.722: +160 per 20 ms, from `frameTiming`, never from the
 * sample count) and says for each payload which relative timestamp it must
 * carry; the adapter maps that onto the RTP sender (skipping the timestamps
 * of frames not sent, which also sets the marker of the next talk spurt,
 * RFC 3551 §4.1).
 *
 * DTMF: with a negotiated telephone-event payload type, digits go out as
 * RFC 4733 events from `TelephoneEventSender` (its marker, timestamp and
 * E-bit repetitions; the event's timeline is the frame count × ptime, and
 * audio is held back while an event and its repetitions are in flight, so the
 * timestamps never go backwards). Without one, digits are played in-band
 * (ITU-T Q.23 tones from `dtmfTonePattern`) in place of the captured audio.
 *
 * Mute sends encoded silence (`silence`, keeps NAT bindings and the peer's
 * jitter buffer fed) or nothing (`suppress`, the timestamps keep counting).
 */
import { frameTiming } from '../codecs/frame-timing.ts';
import { isDtmfDigit, type DtmfDigit } from '../dtmf/dtmf-digits.ts';
import { dtmfTonePattern } from '../dtmf/dtmf-tone.ts';
import { TelephoneEventSender } from '../dtmf/telephone-event-sender.ts';
import { ToneGenerator } from '../tones/tone-generator.ts';
import type { AudioEncoder } from '../types.ts';

export type MuteMode = 'silence' | 'suppress';

export interface SendPathOptions {
  readonly encoder: AudioEncoder;
  readonly ptimeMs: number;
  /** Negotiated telephone-event payload type; null sends DTMF in-band. */
  readonly telephoneEventPayloadType: number | null;
  readonly muteMode?: MuteMode;
  /** RFC 4733 §2.5.1.6 volume field / in-band level of the louder tone, dBm0. Default -10 / -6. */
  readonly dtmfLevelDbm0?: number;
}

export interface DtmfSendOptions {
  /** Tone (event) length per digit; default 100 ms. */
  readonly durationMs?: number;
  /** Pause after each digit; default 100 ms. */
  readonly gapMs?: number;
}

/** One RTP payload to send. */
export interface OutgoingPayload {
  readonly kind: 'audio' | 'telephone-event';
  readonly payload: Uint8Array;
  /** Undefined: the session's default (the audio codec's). */
  readonly payloadType: number | undefined;
  /** Undefined: the RTP sender decides (first packet of a talk spurt). */
  readonly marker: boolean | undefined;
  /** RTP timestamp relative to the stream's first frame, mod 2^32. */
  readonly relativeTimestamp: number;
  readonly timestampIncrement: number;
}

export interface FrameSendState {
  /** Direction allows sending (not on hold from our side). */
  readonly sending: boolean;
  readonly muted: boolean;
}

interface QueuedDigit {
  readonly digit: DtmfDigit;
  readonly durationMs: number;
  readonly gapMs: number;
}

export class SendPath {
  readonly samplesPerFrame: number;
  readonly timestampIncrement: number;
  private readonly encoder: AudioEncoder;
  private readonly ptimeMs: number;
  private readonly muteMode: MuteMode;
  private readonly eventSender: TelephoneEventSender | null;
  private readonly dtmfLevelDbm0: number;
  private readonly silence: Int16Array;
  private readonly queue: QueuedDigit[] = [];
  private inBand: ToneGenerator | null = null;
  private frameIndex = 0;
  private timelineUnits = 0;
  private nextDigitAtMs = 0;
  private sentDigits = 0;

  constructor(options: SendPathOptions) {
    const codec = options.encoder.codec;
    const timing = frameTiming(codec, options.ptimeMs);
    this.samplesPerFrame = timing.samplesPerFrame;
    this.timestampIncrement = timing.rtpTimestampIncrement;
    this.encoder = options.encoder;
    this.ptimeMs = options.ptimeMs;
    this.muteMode = options.muteMode ?? 'silence';
    this.dtmfLevelDbm0 = options.dtmfLevelDbm0 ?? -6;
    this.silence = new Int16Array(this.samplesPerFrame);
    this.eventSender =
      options.telephoneEventPayloadType === null
        ? null
        : new TelephoneEventSender({
            payloadType: options.telephoneEventPayloadType,
            // One RTP stream, one clock: events count in the audio codec's RTP clock (RFC 4733 §2.1).
            clockRateHz: codec.rtpClockRateHz,
            packetIntervalMs: options.ptimeMs,
            volumeDbm0: options.dtmfLevelDbm0 ?? -10,
          });
  }

  /** How digits go out. */
  get dtmfMode(): 'rfc4733' | 'in-band' {
    return this.eventSender === null ? 'in-band' : 'rfc4733';
  }

  /** Digits queued or being sent. */
  get dtmfPending(): boolean {
    return this.queue.length > 0 || (this.eventSender?.busy ?? false) || this.inBand !== null;
  }

  /** Digits whose sending has started. */
  get digitsSent(): number {
    return this.sentDigits;
  }

  /** Queues digits (0-9, *, #, A-D); throws RangeError on anything else, queuing nothing. */
  queueDtmf(digits: string, options: DtmfSendOptions = {}): void {
    const durationMs = options.durationMs ?? 100;
    const gapMs = options.gapMs ?? 100;
    if (!(durationMs >= 40)) throw new RangeError(`DTMF tone must last at least 40 ms (ITU-T Q.24): ${durationMs}`);
    if (!(gapMs >= 40)) throw new RangeError(`DTMF pause must last at least 40 ms (ITU-T Q.24): ${gapMs}`);
    const list: DtmfDigit[] = [];
    for (const character of digits.toUpperCase()) {
      if (!isDtmfDigit(character)) throw new RangeError(`not a DTMF digit: ${JSON.stringify(character)}`);
      list.push(character);
    }
    for (const digit of list) this.queue.push({ digit, durationMs, gapMs });
  }

  /** One captured frame (`samplesPerFrame` at the codec rate); returns what to send for it. */
  frame(pcm: Int16Array, state: FrameSendState): OutgoingPayload[] {
    if (pcm.length !== this.samplesPerFrame) throw new RangeError(`frame of ${pcm.length} samples, expected ${this.samplesPerFrame}`);
    const mediaMs = this.frameIndex * this.ptimeMs;
    const frameUnits = this.timelineUnits;
    this.frameIndex++;
    this.timelineUnits = (this.timelineUnits + this.timestampIncrement) >>> 0;
    const out: OutgoingPayload[] = [];

    let audio: Int16Array | null = state.muted ? (this.muteMode === 'silence' ? this.silence : null) : pcm;
    if (this.eventSender !== null) {
      this.startQueuedEvent(mediaMs, frameUnits);
      for (const event of this.eventSender.tick(mediaMs)) {
        if (!state.sending) continue;
        out.push({ kind: 'telephone-event', payload: event.payload, payloadType: event.payloadType, marker: event.marker, relativeTimestamp: event.timestamp, timestampIncrement: 0 });
      }
      // Audio resumes only once the event's packets (and their repetitions) are all out.
      if (out.length > 0 || this.eventSender.busy) audio = null;
    } else {
      const tone = this.inBandFrame(mediaMs);
      if (tone !== null) audio = tone;
    }
    if (audio !== null && state.sending) {
      out.push({ kind: 'audio', payload: this.encoder.encode(audio), payloadType: undefined, marker: undefined, relativeTimestamp: frameUnits, timestampIncrement: this.timestampIncrement });
    }
    return out;
  }

  private startQueuedEvent(mediaMs: number, frameUnits: number): void {
    const sender = this.eventSender;
    const next = this.queue[0];
    if (sender === null || next === undefined || sender.busy || mediaMs < this.nextDigitAtMs) return;
    this.queue.shift();
    sender.start({ event: next.digit, nowMs: mediaMs, rtpTimestamp: frameUnits, durationMs: next.durationMs });
    this.nextDigitAtMs = mediaMs + next.durationMs + next.gapMs;
    this.sentDigits++;
  }

  private inBandFrame(mediaMs: number): Int16Array | null {
    if (this.inBand === null && this.queue.length > 0 && mediaMs >= this.nextDigitAtMs) {
      const digits = this.queue.splice(0, this.queue.length);
      const first = digits[0] as QueuedDigit;
      this.inBand = new ToneGenerator({
        sampleRateHz: this.encoder.codec.sampleRateHz,
        pattern: dtmfTonePattern(
          digits.map((d) => d.digit),
          { toneMs: first.durationMs, pauseMs: first.gapMs, highLevelDbm0: this.dtmfLevelDbm0, lowLevelDbm0: this.dtmfLevelDbm0 - 2 },
        ),
      });
      this.sentDigits += digits.length;
    }
    if (this.inBand === null) return null;
    const frame = this.inBand.render(this.samplesPerFrame);
    if (this.inBand.done) {
      this.inBand = null;
      this.nextDigitAtMs = mediaMs + this.ptimeMs;
    }
    return frame;
  }
}
