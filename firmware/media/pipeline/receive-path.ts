/**
 * The receiving half of a call leg as a pure stage: RTP packets in (with
 * their arrival times), one frame for the loudspeaker out per device period.
 *
 *   packet ─┬─ telephone-event PT ─→ TelephoneEventReceiver ─→ digits
 *           └─ audio / CN PT ─→ JitterBuffer (decoder inside) ─→ PCM at the codec rate
 *                 ─→ [DtmfDetector, when no telephone-event was negotiated]
 *                 ─→ FrameResampler to the device rate ─→ + local tone ─→ frame
 *
 * While the direction does not receive (hold), packets are not played: the
 * frame is silence (plus any local tone) and the jitter buffer starts afresh
 * when receiving resumes.
 */
import type { Logger } from '../../log/logger.ts';
import { DtmfDetector } from '../dtmf/dtmf-detector.ts';
import { TelephoneEventReceiver, type TelephoneEventNotice } from '../dtmf/telephone-event-receiver.ts';
import { JitterBuffer, type JitterBufferOptions } from '../jitter/index.ts';
import type { JitterBufferStatistics } from '../jitter/jitter-buffer-statistics.ts';
import type { PlayoutKind } from '../jitter/playout-kind.ts';
import { ToneGenerator } from '../tones/tone-generator.ts';
import type { TonePattern } from '../tones/tone-pattern.ts';
import type { AudioDecoder, RtpPacket } from '../types.ts';
import { FrameResampler } from './frame-resampler.ts';
import type { ReceivedDtmf } from './received-dtmf.ts';

/** Jitter buffer tuning the pipeline passes through (the decoder, frame size and payload types are its own). */
export type JitterBufferTuning = Omit<JitterBufferOptions, 'decoder' | 'frameDurationMs' | 'audioPayloadType' | 'comfortNoisePayloadType' | 'logger'>;

export interface ReceivePathOptions {
  readonly decoder: AudioDecoder;
  /** Audio payload type as negotiated (may differ from the decoder's static default). */
  readonly audioPayloadType: number;
  readonly telephoneEventPayloadType: number | null;
  readonly comfortNoisePayloadType?: number;
  readonly deviceSampleRateHz: number;
  /** Device frame length: one `pull` returns this much audio. */
  readonly frameDurationMs: number;
  readonly jitterBuffer?: JitterBufferTuning;
  readonly logger?: Logger;
}

export interface ReceivedFrame {
  /** One device frame at the device rate. */
  readonly pcm: Int16Array;
  readonly kind: PlayoutKind;
  readonly dtmf: readonly ReceivedDtmf[];
}

export class ReceivePath {
  private readonly jitterBuffer: JitterBuffer;
  private readonly resampler: FrameResampler;
  private readonly eventReceiver: TelephoneEventReceiver | null;
  private readonly detector: DtmfDetector | null;
  private readonly telephoneEventPayloadType: number | null;
  private readonly deviceFrameSamples: number;
  private readonly deviceSampleRateHz: number;
  private tone: ToneGenerator | null = null;
  private receiving = true;
  private telephoneEventPackets = 0;

  constructor(options: ReceivePathOptions) {
    const codec = options.decoder.codec;
    this.deviceSampleRateHz = options.deviceSampleRateHz;
    this.deviceFrameSamples = (options.deviceSampleRateHz * options.frameDurationMs) / 1000;
    this.telephoneEventPayloadType = options.telephoneEventPayloadType;
    this.jitterBuffer = new JitterBuffer({
      ...options.jitterBuffer,
      decoder: options.decoder,
      frameDurationMs: options.frameDurationMs,
      audioPayloadType: options.audioPayloadType,
      ...(options.comfortNoisePayloadType === undefined ? {} : { comfortNoisePayloadType: options.comfortNoisePayloadType }),
      ...(options.logger === undefined ? {} : { logger: options.logger.child('jitter') }),
    });
    this.resampler = new FrameResampler({ inputRateHz: codec.sampleRateHz, outputRateHz: options.deviceSampleRateHz });
    this.eventReceiver = options.telephoneEventPayloadType === null ? null : new TelephoneEventReceiver({ clockRateHz: codec.rtpClockRateHz });
    this.detector = options.telephoneEventPayloadType === null ? new DtmfDetector({ sampleRateHz: codec.sampleRateHz }) : null;
  }

  get statistics(): JitterBufferStatistics {
    return this.jitterBuffer.statistics;
  }

  /** Telephone-event packets received (all of them, repeats included). */
  get telephoneEventPacketCount(): number {
    return this.telephoneEventPackets;
  }

  /** Hold: stop (false) or resume (true) playing what arrives. */
  setReceiving(receiving: boolean): void {
    if (receiving && !this.receiving) this.jitterBuffer.reset();
    this.receiving = receiving;
  }

  /** The peer's stream restarted (new SSRC): DTMF state of the old one is stale. */
  remoteSourceChanged(): void {
    this.eventReceiver?.reset();
  }

  /** Plays a tone pattern (ringback, busy, ...) at the device rate, mixed over what is received, until it ends or `stopTone()`. */
  playTone(pattern: TonePattern): void {
    this.tone = new ToneGenerator({ sampleRateHz: this.deviceSampleRateHz, pattern });
  }

  /** Fades the local tone out. */
  stopTone(): void {
    this.tone?.stop();
  }

  get playingTone(): boolean {
    return this.tone !== null;
  }

  /** One received RTP packet. Returns the digits it completed. */
  insert(packet: RtpPacket, arrivalTimeMs: number): ReceivedDtmf[] {
    if (!this.receiving) return [];
    if (packet.payloadType === this.telephoneEventPayloadType && this.eventReceiver !== null) {
      this.telephoneEventPackets++;
      return fromNotices(this.eventReceiver.receive(packet, arrivalTimeMs));
    }
    this.jitterBuffer.insert(packet, arrivalTimeMs);
    return [];
  }

  /** The next device frame at `nowMs`. */
  pull(nowMs: number): ReceivedFrame {
    const dtmf: ReceivedDtmf[] = this.eventReceiver === null ? [] : fromNotices(this.eventReceiver.tick(nowMs));
    let pcm: Int16Array;
    let kind: PlayoutKind = 'silence';
    if (this.receiving) {
      const frame = this.jitterBuffer.pull(nowMs);
      kind = frame.kind;
      if (this.detector !== null) {
        for (const detection of this.detector.process(frame.pcm)) {
          if (detection.kind === 'end') dtmf.push({ digit: detection.digit, source: 'in-band', durationMs: detection.durationMs, endedBy: 'tone-ended' });
        }
      }
      pcm = this.resampler.process(frame.pcm);
    } else {
      pcm = new Int16Array(this.deviceFrameSamples);
    }
    if (this.tone !== null) {
      const tone = this.tone.render(pcm.length);
      const mixed = new Int16Array(pcm.length);
      for (let i = 0; i < pcm.length; i++) mixed[i] = Math.max(-32768, Math.min(32767, (pcm[i] as number) + (tone[i] as number)));
      pcm = mixed;
      if (this.tone.done) this.tone = null;
    }
    return { pcm, kind, dtmf };
  }
}

function fromNotices(notices: readonly TelephoneEventNotice[]): ReceivedDtmf[] {
  const out: ReceivedDtmf[] = [];
  for (const notice of notices) {
    if (notice.kind === 'end' && notice.digit !== null) out.push({ digit: notice.digit, source: 'rfc4733', durationMs: notice.durationMs, endedBy: notice.endedBy });
  }
  return out;
}
