/**
 * One call leg's audio: the thin adapter that owns time and I/O around the
 * pure stages.
 *
 *   source ─→ MediaLoop ─→ FrameResampler ─→ FrameAssembler (ptime) ─→ SendPath ─→ RtpSession.send ─→ network
 *   network ─→ RtpSession 'rtp-packet' ─→ ReceivePath (jitter buffer, decoder, DTMF, resampler, tones) ─→ MediaLoop ─→ sink
 *
 * The call layer opens it with the negotiated parameters (codec with its
 * payload type, ptime, telephone-event payload type, the peer's address),
 * `start()`s it, drives it (`setDirection` for hold, `setMuted`, `sendDtmf`,
 * `playTone`, `setRemote` on a re-INVITE) and `close()`s it. It knows nothing
 * of SIP or SDP. Devices are started and stopped by the caller.
 */
import { systemClock, type Clock, type TimerHandle } from '../../core/clock.ts';
import { TypedEmitter, type Unsubscribe } from '../../core/typed-emitter.ts';
import { silentLogger, type Logger } from '../../log/logger.ts';
import type { AudioFormat } from '../../../hal/audio/audio-device.ts';
import { frameDurationMs } from '../../../hal/audio/audio-format.ts';
import { FrameAssembler } from '../../../hal/audio/frame-assembler.ts';
import { MediaLoop } from '../loop/media-loop.ts';
import { RtpSession, type RtpSessionRemote } from '../session/rtp-session.ts';
import type { TonePattern } from '../tones/tone-pattern.ts';
import type { AudioDecoder, AudioEncoder, CodecDescriptor } from '../types.ts';
import { FrameResampler } from './frame-resampler.ts';
import { directionReceives, directionSends, type MediaDirection } from './media-direction.ts';
import type { MediaStreamEvent } from './media-stream-events.ts';
import type { MediaStreamOptions } from './media-stream-options.ts';
import type { MediaStreamStatistics } from './media-stream-statistics.ts';
import { ReceivePath } from './receive-path.ts';
import type { ReceivedDtmf } from './received-dtmf.ts';
import { SendPath, type DtmfSendOptions, type OutgoingPayload } from './send-path.ts';

const DEFAULT_STATS_INTERVAL_MS = 1000;
const HALF_TIMESTAMP_RANGE = 0x80000000;

export class MediaStream {
  readonly events: TypedEmitter<MediaStreamEvent>;
  readonly codec: CodecDescriptor;
  readonly ptimeMs: number;

  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly encoder: AudioEncoder;
  private readonly decoder: AudioDecoder;
  private readonly sendPath: SendPath;
  private readonly receivePath: ReceivePath;
  private readonly captureResampler: FrameResampler;
  private readonly assembler: FrameAssembler;
  private readonly loop: MediaLoop;
  private readonly format: AudioFormat;
  private readonly timestampBase: number;
  private readonly statsIntervalMs: number;
  private readonly unsubscribe: Unsubscribe[] = [];
  private currentDirection: MediaDirection;
  private isMuted = false;
  private started = false;
  private closing: Promise<void> | null = null;
  private statsTimer: TimerHandle | undefined;
  private dtmfReceived = 0;

  /** Binds the RTP/RTCP sockets; call `start()` to begin sending and playing. */
  static async open(options: MediaStreamOptions): Promise<MediaStream> {
    const codec = options.codec.descriptor;
    const session = await RtpSession.open({
      localAddress: options.localAddress,
      payloadType: codec.payloadType,
      clockRateHz: codec.rtpClockRateHz,
      cname: options.cname,
      remote: options.remote,
      ...(options.localPort === undefined ? {} : { localPort: options.localPort }),
      ...(options.portRange === undefined ? {} : { portRange: options.portRange }),
      ...(options.rtcpMux === undefined ? {} : { rtcpMux: options.rtcpMux }),
      ...(options.symmetricLatching === undefined ? {} : { symmetricLatching: options.symmetricLatching }),
      ...(options.minimumRtcpIntervalMs === undefined ? {} : { minimumRtcpIntervalMs: options.minimumRtcpIntervalMs }),
      ...(options.randomUint32 === undefined ? {} : { randomUint32: options.randomUint32 }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
    try {
      return new MediaStream(options, session);
    } catch (error) {
      await session.close('media stream setup failed');
      throw error;
    }
  }

  private constructor(
    options: MediaStreamOptions,
    private readonly session: RtpSession,
  ) {
    const media = options.logger ?? silentLogger;
    this.log = media.child('pipeline');
    this.events = new TypedEmitter<MediaStreamEvent>((error, event) => this.log.error('media stream event listener threw', { event: event.type, error }));
    this.clock = options.clock ?? systemClock;
    this.codec = options.codec.descriptor;
    this.ptimeMs = options.ptimeMs ?? this.codec.frameDurationMs;
    this.format = options.audio.format;
    this.currentDirection = options.direction ?? 'sendrecv';
    const telephoneEventPayloadType = options.telephoneEventPayloadType ?? null;
    if (!options.audio.source && !options.audio.sink) throw new RangeError('a media stream needs an audio source or sink to pace it');

    this.encoder = options.codec.factory.createEncoder();
    this.decoder = options.codec.factory.createDecoder();
    this.sendPath = new SendPath({
      encoder: this.encoder,
      ptimeMs: this.ptimeMs,
      telephoneEventPayloadType,
      ...(options.muteMode === undefined ? {} : { muteMode: options.muteMode }),
    });
    const deviceFrameMs = frameDurationMs(this.format);
    this.receivePath = new ReceivePath({
      decoder: this.decoder,
      audioPayloadType: this.codec.payloadType,
      telephoneEventPayloadType,
      deviceSampleRateHz: this.format.sampleRateHz,
      frameDurationMs: deviceFrameMs,
      logger: media,
      ...(options.comfortNoisePayloadType === undefined ? {} : { comfortNoisePayloadType: options.comfortNoisePayloadType }),
      ...(options.jitterBuffer === undefined ? {} : { jitterBuffer: options.jitterBuffer }),
    });
    this.receivePath.setReceiving(directionReceives(this.currentDirection));
    this.captureResampler = new FrameResampler({ inputRateHz: this.format.sampleRateHz, outputRateHz: this.codec.sampleRateHz });
    this.assembler = new FrameAssembler(this.sendPath.samplesPerFrame);
    this.timestampBase = session.sender.next.timestamp;

    const { source, sink } = options.audio;
    this.loop = new MediaLoop({
      clock: this.clock,
      format: this.format,
      logger: media.child('loop'),
      ...(source === undefined ? {} : { source, onCaptureFrame: (frame: Int16Array) => this.onCaptureFrame(frame) }),
      ...(sink === undefined ? {} : { sink }),
      nextPlaybackFrame: () => this.nextPlaybackFrame(source === undefined),
      ...(options.driftCompensation === undefined ? {} : { driftCompensation: options.driftCompensation }),
      pacing: options.pacing ?? 'system',
    });
    if (source) this.unsubscribe.push(source.on('error', (event) => this.fail('capture', event.error)));
    if (sink) this.unsubscribe.push(sink.on('error', (event) => this.fail('playback', event.error)));

    this.unsubscribe.push(
      session.events.on('rtp-packet', ({ packet, arrivalTimeMs }) => {
        for (const dtmf of this.receivePath.insert(packet, arrivalTimeMs)) this.emitDtmf(dtmf, arrivalTimeMs);
      }),
      session.events.on('remote-latched', ({ channel, previous, latched }) => this.events.emit({ type: 'remote-latched', channel, previous, latched })),
      session.events.on('ssrc-changed', ({ side }) => {
        if (side === 'remote') this.receivePath.remoteSourceChanged();
      }),
    );
    this.statsIntervalMs = options.statsIntervalMs ?? DEFAULT_STATS_INTERVAL_MS;
    this.log.info('media stream open', {
      codec: this.codec.name,
      payloadType: this.codec.payloadType,
      ptimeMs: this.ptimeMs,
      telephoneEventPayloadType,
      deviceSampleRateHz: this.format.sampleRateHz,
      codecSampleRateHz: this.codec.sampleRateHz,
      direction: this.currentDirection,
      localRtpPort: session.localRtpPort,
    });
  }

  get localAddress(): string {
    return this.session.localAddress;
  }

  get localRtpPort(): number {
    return this.session.localRtpPort;
  }

  get localRtcpPort(): number {
    return this.session.localRtcpPort;
  }

  get direction(): MediaDirection {
    return this.currentDirection;
  }

  get muted(): boolean {
    return this.isMuted;
  }

  /** Starts pacing: capture → RTP and RTP → playback. Idempotent. */
  start(): void {
    if (this.started || this.closing) return;
    this.started = true;
    this.loop.start();
    this.scheduleStats();
  }

  /** Hold and resume (RFC 3264 §8.4), from our side's point of view. */
  setDirection(direction: MediaDirection): void {
    if (direction === this.currentDirection) return;
    this.log.info('media direction changed', { from: this.currentDirection, to: direction });
    this.currentDirection = direction;
    this.receivePath.setReceiving(directionReceives(direction));
  }

  /** Mute: the peer gets silence (or nothing, `muteMode: 'suppress'`); DTMF still goes out. */
  setMuted(muted: boolean): void {
    if (muted === this.isMuted) return;
    this.isMuted = muted;
    this.log.info(muted ? 'microphone muted' : 'microphone unmuted');
  }

  /** A new peer address (re-INVITE / UPDATE). */
  setRemote(remote: RtpSessionRemote | null): void {
    this.session.setRemote(remote);
  }

  /**
   * Queues digits: RFC 4733 events on the negotiated payload type, or in-band
   * tones when none was negotiated. Throws RangeError on a character that is
   * not a DTMF digit.
   */
  sendDtmf(digits: string, options: DtmfSendOptions = {}): void {
    this.sendPath.queueDtmf(digits, options);
    this.log.debug('DTMF queued', { digits: digits.length, mode: this.sendPath.dtmfMode });
  }

  /** Plays a local tone (ringback, busy, ... from `callProgressTone`) into the loudspeaker, mixed over received audio. */
  playTone(pattern: TonePattern): void {
    this.receivePath.playTone(pattern);
    this.log.debug('local tone started', { tone: pattern.name });
  }

  stopTone(): void {
    this.receivePath.stopTone();
  }

  statistics(): MediaStreamStatistics {
    const rtp = this.session.statistics();
    const jitterBuffer = this.receivePath.statistics;
    return {
      codec: this.codec.name,
      payloadType: this.codec.payloadType,
      ptimeMs: this.ptimeMs,
      direction: this.currentDirection,
      muted: this.isMuted,
      dtmfMode: this.sendPath.dtmfMode,
      packetsSent: rtp.packetsSent,
      packetsReceived: rtp.packetsReceived,
      lossPercent: rtp.lossPercent,
      jitterMs: rtp.jitterMs,
      roundTripTimeMs: rtp.roundTripTimeMs,
      remoteLossPercent: rtp.remoteLossPercent,
      remoteJitterMs: rtp.remoteJitterMs,
      targetDelayMs: jitterBuffer.targetDelayMs,
      bufferDelayMs: jitterBuffer.bufferDelayMs,
      concealedMs: jitterBuffer.concealedMs,
      packetsLate: jitterBuffer.packetsLate,
      dtmfSent: this.sendPath.digitsSent,
      dtmfReceived: this.dtmfReceived,
      rtp,
      jitterBuffer,
    };
  }

  /** Stops pacing, sends RTCP BYE, closes the sockets and frees the codecs. Idempotent. */
  close(reason: string | null = null): Promise<void> {
    this.closing ??= this.doClose(reason);
    return this.closing;
  }

  private async doClose(reason: string | null): Promise<void> {
    if (this.started) this.loop.stop();
    this.clock.clearTimeout(this.statsTimer);
    this.statsTimer = undefined;
    for (const off of this.unsubscribe.splice(0)) off();
    const statistics = this.statistics();
    this.log.info('media stream closed', {
      codec: statistics.codec,
      packetsSent: statistics.packetsSent,
      packetsReceived: statistics.packetsReceived,
      lossPercent: statistics.lossPercent,
      jitterMs: statistics.jitterMs,
      roundTripTimeMs: statistics.roundTripTimeMs,
      concealedMs: statistics.concealedMs,
      bufferDelayMs: statistics.bufferDelayMs,
    });
    await this.session.close(reason);
    this.encoder.close?.();
    this.decoder.close?.();
  }

  private onCaptureFrame(deviceFrame: Int16Array): void {
    if (this.closing) return;
    let frames: Int16Array[];
    try {
      frames = this.assembler.push(this.captureResampler.process(deviceFrame));
    } catch (error) {
      this.fail('capture', error);
      return;
    }
    for (const frame of frames) {
      let outgoing: OutgoingPayload[];
      try {
        outgoing = this.sendPath.frame(frame, { sending: directionSends(this.currentDirection), muted: this.isMuted });
      } catch (error) {
        this.fail('encoder', error);
        continue;
      }
      for (const payload of outgoing) this.transmit(payload);
    }
  }

  /** Maps the send path's relative timestamp onto the RTP sender: frames not sent are skipped (marker on the next). */
  private transmit(out: OutgoingPayload): void {
    const sender = this.session.sender;
    const wanted = (this.timestampBase + out.relativeTimestamp) >>> 0;
    const ahead = (wanted - sender.next.timestamp) >>> 0;
    if (ahead >= HALF_TIMESTAMP_RANGE) {
      this.log.error('payload behind the RTP timeline, dropped', { kind: out.kind, behindUnits: 2 ** 32 - ahead });
      return;
    }
    if (ahead > 0) sender.skip(ahead);
    this.session.send(out.payload, {
      timestampIncrement: out.timestampIncrement,
      ...(out.marker === undefined ? {} : { marker: out.marker }),
      ...(out.payloadType === undefined ? {} : { payloadType: out.payloadType }),
    });
  }

  private nextPlaybackFrame(alsoCapture: boolean): Int16Array | undefined {
    if (this.closing) return undefined;
    // Without a microphone the send side is paced by playback, with silence as the "captured" audio.
    if (alsoCapture) this.onCaptureFrame(new Int16Array(this.format.frameSamples));
    const nowMs = this.clock.nowMs();
    try {
      const frame = this.receivePath.pull(nowMs);
      for (const dtmf of frame.dtmf) this.emitDtmf(dtmf, nowMs);
      return frame.pcm;
    } catch (error) {
      this.fail('decoder', error);
      return undefined;
    }
  }

  private emitDtmf(dtmf: ReceivedDtmf, atMs: number): void {
    this.dtmfReceived++;
    this.log.info('DTMF received', { digit: dtmf.digit, source: dtmf.source, durationMs: dtmf.durationMs, endedBy: dtmf.endedBy });
    this.events.emit({ type: 'dtmf-received', atMs, ...dtmf });
  }

  private fail(where: 'capture' | 'playback' | 'encoder' | 'decoder' | 'device', error: unknown): void {
    this.log.error('media stream error', { where, error });
    this.events.emit({ type: 'error', where, error });
  }

  private scheduleStats(): void {
    if (this.statsIntervalMs <= 0 || this.closing) return;
    this.statsTimer = this.clock.setTimeout(() => {
      this.statsTimer = undefined;
      if (this.closing) return;
      this.events.emit({ type: 'stats', statistics: this.statistics() });
      this.scheduleStats();
    }, this.statsIntervalMs);
  }
}
