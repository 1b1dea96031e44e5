/**
 * Adaptive jitter buffer in the spirit of WebRTC's NetEq.
 *
 * The network side calls `insert(packet, arrivalTimeMs)` for every RTP packet
 * of the call's audio stream (audio payload type and RFC 3389 CN); the audio
 * device side calls `pull(nowMs)` once per output frame and gets exactly one
 * frame of PCM at the decoder's sample rate, labelled with what it is. The
 * buffer decodes lazily at play-out, so concealment, stretching and
 * cross-fades work on PCM. Time is only what the caller passes in.
 *
 * Timing model. Each arrival's relative delay (transit minus the fastest
 * transit of the last 2 s) feeds a histogram with a forgetting factor; the
 * target level is one packet + the 95th percentile of that delay + half an
 * output frame. The measured level is sampled at every arrival as the audio
 * queued ahead of play-out (packets from the play-out point to the newest
 * one, decoded samples, the rest of the frame playing now) plus the packet's
 * own relative delay, which cancels the packet's jitter and leaves the
 * schedule's offset from the fastest packet; it is smoothed and corrected
 * immediately for every stretch. Above the target's dead band the next
 * decoded audio is accelerated, below it expanded (time-stretch.ts). A talk
 * spurt (first packet after silence, comfort noise or a marker-bit gap) is
 * scheduled straight at the target instead: its first packet starts when its
 * media time + the fastest transit + (target − one packet) comes.
 *
 * Missing audio. A gap in front of a queued packet is concealed and its
 * timestamps consumed (the missing packets are lost; if they come later they
 * are late). An empty buffer is concealed without consuming timestamps (the
 * next packet may only be delayed: delay grows, NetEq's expand); when the
 * next packet turns out to follow a gap, that concealment counts against the
 * gap. Concealment fades to silence; once faded with nothing queued the
 * stream is treated as gone quiet (DTX without CN) and the next packet starts
 * a talk spurt. Every change of source (audio, concealment, comfort noise,
 * silence) is cross-faded from a continuation of the old source.
 */
import type { Logger } from '../../log/logger.ts';
import type { AudioDecoder, RtpPacket } from '../types.ts';
import { ArrivalDelayEstimator } from './arrival-delay-estimator.ts';
import { ComfortNoiseGenerator } from './comfort-noise-generator.ts';
import { parseComfortNoisePayload } from './comfort-noise-payload.ts';
import { crossfade } from './crossfade.ts';
import {
  emptyJitterBufferStatistics,
  type JitterBufferStatistics,
  type MutableJitterBufferStatistics,
} from './jitter-buffer-statistics.ts';
import { decideLevelAction } from './level-decision.ts';
import { LossConcealer } from './loss-concealer.ts';
import { PacketQueue, type QueuedPacket } from './packet-queue.ts';
import { PLAYOUT_KIND_PRIORITY, type PlayoutKind } from './playout-kind.ts';
import { SampleQueue } from './sample-queue.ts';
import { SequenceUnwrapper } from './sequence-unwrapper.ts';
import { timeStretch } from './time-stretch.ts';
import { TimestampUnwrapper } from './timestamp-unwrapper.ts';

export interface JitterBufferOptions {
  /** Decodes the audio payload type; its codec descriptor gives sample rate and RTP clock rate. */
  readonly decoder: AudioDecoder;
  /** How much audio each `pull` returns (the audio device's period). Default 10 ms. */
  readonly frameDurationMs?: number;
  /** Payload type carrying audio; default the decoder's codec payload type. */
  readonly audioPayloadType?: number;
  /** RFC 3389 CN payload type; default 13 (RFC 3551 static CN/8000). */
  readonly comfortNoisePayloadType?: number;
  /** Lower bound of the target (default one codec frame). */
  readonly minDelayMs?: number;
  /**
   * Target floor while the first `warmUpPackets` arrivals are measured
   * (default 80 ms, NetEq's start delay): a call starts safe and adapts down
   * once the histogram knows the path, instead of underflowing while it learns.
   */
  readonly initialDelayMs?: number;
  /** Arrivals before the initial floor is lifted (default 50: 1 s of 20 ms packets). */
  readonly warmUpPackets?: number;
  /** Upper bound of the target (default 500 ms). */
  readonly maxDelayMs?: number;
  /** Queued audio beyond which the oldest packets are dropped (default 2 × maxDelayMs). */
  readonly capacityMs?: number;
  /** Relative-delay quantile to cover (default 0.95). */
  readonly delayQuantile?: number;
  /** Histogram forgetting factor per arrival (default 0.993). */
  readonly forgetFactor?: number;
  /** Source-change cross-fade (default 5 ms). */
  readonly crossfadeMs?: number;
  /** Timestamp moving this much more or less than arrival time means the sender jumped: resync (default 2000 ms). */
  readonly timestampJumpThresholdMs?: number;
  /** Concealment: full level for this long (default 20 ms) ... */
  readonly concealmentFadeStartMs?: number;
  /** ... then fading to silence over this long (default 60 ms). */
  readonly concealmentFadeLengthMs?: number;
  /** Seed for the comfort-noise generator. */
  readonly noiseSeed?: number;
  readonly logger?: Logger;
}

/** One frame of output. */
export interface PlayoutFrame {
  /** frameDurationMs of 16-bit PCM at the decoder's sample rate. */
  readonly pcm: Int16Array;
  /** The most notable kind of sample in the frame (PLAYOUT_KIND_PRIORITY order). */
  readonly kind: PlayoutKind;
}

type Mode = 'idle' | 'playing' | 'comfort-noise';
type Source = 'audio' | 'conceal' | 'comfort-noise' | 'silence';

/** Smoothing weight of a new level sample. */
const LEVEL_SMOOTHING = 0.25;
/** Decoded audio gathered before trying to stretch (two 15 ms pitch periods). */
const STRETCH_BLOCK_MS = 30;
const RECENT_SEQUENCES = 1024;

export class JitterBuffer {
  private readonly decoder: AudioDecoder;
  private readonly sampleRateHz: number;
  /** RTP clock units per millisecond. */
  private readonly clockPerMs: number;
  /** PCM samples per RTP timestamp unit (2 for G.722). */
  private readonly samplesPerTick: number;
  private readonly frameMs: number;
  private readonly frameSamples: number;
  private readonly crossfadeSamples: number;
  private readonly audioPayloadType: number;
  private readonly comfortNoisePayloadType: number;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly initialDelayMs: number;
  private readonly warmUpPackets: number;
  private readonly capacityMs: number;
  private readonly jumpThresholdMs: number;
  private readonly logger: Logger | undefined;

  private readonly queue = new PacketQueue();
  private readonly sequences = new SequenceUnwrapper();
  private readonly timestamps = new TimestampUnwrapper();
  private readonly estimator: ArrivalDelayEstimator;
  private readonly samples: SampleQueue;
  private readonly concealer: LossConcealer;
  private readonly noise: ComfortNoiseGenerator;
  private readonly stats: MutableJitterBufferStatistics = emptyJitterBufferStatistics();

  private mode: Mode = 'idle';
  private lastSource: Source = 'silence';
  private concealing = false;
  /** Next decoded audio must cross-fade in (after a flush). */
  private forceCrossfade = false;
  /** Extended timestamp of the next audio to decode. */
  private playoutTs: number | undefined;
  /** Concealment played with an empty buffer, in RTP units, not yet set against a gap. */
  private underflowTicks = 0;
  private ssrc: number | undefined;
  private lastDecodedSequence: number | undefined;
  private highestSequence: number | undefined;
  private readonly recentSequences = new Set<number>();
  private readonly recentOrder: number[] = [];
  private lastAccepted: { readonly timestamp: number; readonly arrivalTimeMs: number } | undefined;
  private packetDurationTicks: number;
  private filteredLevelMs: number | undefined;
  private lastPullMs: number | undefined;

  constructor(options: JitterBufferOptions) {
    const codec = options.decoder.codec;
    this.decoder = options.decoder;
    this.sampleRateHz = codec.sampleRateHz;
    this.clockPerMs = codec.rtpClockRateHz / 1000;
    this.samplesPerTick = codec.sampleRateHz / codec.rtpClockRateHz;
    this.frameMs = options.frameDurationMs ?? 10;
    this.frameSamples = Math.round((this.frameMs * this.sampleRateHz) / 1000);
    this.crossfadeSamples = Math.round(((options.crossfadeMs ?? 5) * this.sampleRateHz) / 1000);
    this.audioPayloadType = options.audioPayloadType ?? codec.payloadType;
    this.comfortNoisePayloadType = options.comfortNoisePayloadType ?? 13;
    this.minDelayMs = options.minDelayMs ?? codec.frameDurationMs;
    this.maxDelayMs = options.maxDelayMs ?? 500;
    this.initialDelayMs = options.initialDelayMs ?? 80;
    this.warmUpPackets = options.warmUpPackets ?? 50;
    this.capacityMs = options.capacityMs ?? 2 * this.maxDelayMs;
    this.jumpThresholdMs = options.timestampJumpThresholdMs ?? 2000;
    this.logger = options.logger;
    this.packetDurationTicks = codec.frameDurationMs * this.clockPerMs;
    this.estimator = new ArrivalDelayEstimator({
      maxDelayMs: this.capacityMs,
      ...(options.delayQuantile !== undefined ? { quantile: options.delayQuantile } : {}),
      ...(options.forgetFactor !== undefined ? { forgetFactor: options.forgetFactor } : {}),
    });
    this.concealer = new LossConcealer({
      sampleRateHz: this.sampleRateHz,
      ...(options.concealmentFadeStartMs !== undefined ? { fadeStartMs: options.concealmentFadeStartMs } : {}),
      ...(options.concealmentFadeLengthMs !== undefined ? { fadeLengthMs: options.concealmentFadeLengthMs } : {}),
    });
    this.samples = new SampleQueue(Math.max(this.concealer.historySamples, this.frameSamples) * 2);
    this.noise = new ComfortNoiseGenerator({
      sampleRateHz: this.sampleRateHz,
      ...(options.noiseSeed !== undefined ? { seed: options.noiseSeed } : {}),
    });
  }

  /** A snapshot of the counters and delays. */
  get statistics(): JitterBufferStatistics {
    return { ...this.stats, queuedAudioMs: this.queuedAudioMs(), relativeDelayQuantileMs: this.estimator.quantileMs() };
  }

  /** Accepts one received RTP packet of the stream. */
  insert(packet: RtpPacket, arrivalTimeMs: number): void {
    this.stats.packetsReceived++;
    const isComfortNoise = packet.payloadType === this.comfortNoisePayloadType;
    if (!isComfortNoise && packet.payloadType !== this.audioPayloadType) {
      this.stats.packetsDiscarded++;
      return;
    }
    // RFC 3550 §8.2: a new SSRC is a new source: start over.
    if (this.ssrc !== undefined && packet.ssrc !== this.ssrc) this.resync('ssrc-change', true);
    this.ssrc = packet.ssrc;

    let sequence = this.sequences.unwrap(packet.sequenceNumber);
    let timestamp = this.timestamps.unwrap(packet.timestamp);
    if (this.lastAccepted !== undefined) {
      // RFC 3550 §5.1: timestamps advance with the sampling clock; one that moves far more or
      // less than wall-clock time since the last packet means the sender restarted its timeline.
      const expected = this.lastAccepted.timestamp + (arrivalTimeMs - this.lastAccepted.arrivalTimeMs) * this.clockPerMs;
      if (Math.abs(timestamp - expected) / this.clockPerMs > this.jumpThresholdMs) {
        this.resync('timestamp-jump', false);
        sequence = this.sequences.unwrap(packet.sequenceNumber);
        timestamp = this.timestamps.unwrap(packet.timestamp);
      }
    }

    if (this.queue.has(sequence) || this.recentSequences.has(sequence)) {
      this.stats.packetsDuplicate++;
      return;
    }
    if (this.highestSequence !== undefined && sequence < this.highestSequence) this.stats.packetsReordered++;
    else this.highestSequence = sequence;
    this.lastAccepted = { timestamp, arrivalTimeMs };

    const relativeDelayMs = this.estimator.update(arrivalTimeMs, timestamp / this.clockPerMs);
    if (this.playoutTs !== undefined && timestamp < this.playoutTs) {
      this.stats.packetsLate++;
      return;
    }
    const item: QueuedPacket = { packet, sequence, timestamp, arrivalTimeMs, isComfortNoise };
    if (!this.queue.insert(item)) {
      this.stats.packetsDuplicate++;
      return;
    }
    this.enforceCapacity();
    if (this.mode === 'playing' && !isComfortNoise) this.updateLevel(item, relativeDelayMs);
  }

  /** Returns the next frame of audio; call once per frame period with the current time. */
  pull(nowMs: number): PlayoutFrame {
    this.lastPullMs = nowMs;
    for (let guard = 0; this.samples.available < this.frameSamples; guard++) {
      if (guard > 10_000) throw new Error('jitter buffer made no progress');
      this.produce(nowMs);
    }
    const { pcm, kinds } = this.samples.take(this.frameSamples);
    const out = new Int16Array(pcm.length);
    let best = PLAYOUT_KIND_PRIORITY.length - 1;
    const perKind = new Array<number>(PLAYOUT_KIND_PRIORITY.length).fill(0);
    for (let i = 0; i < pcm.length; i++) {
      out[i] = Math.max(-32768, Math.min(32767, Math.round(pcm[i]!)));
      const kind = kinds[i]!;
      perKind[kind]!++;
      if (kind < best) best = kind;
    }
    const msPerSample = 1000 / this.sampleRateHz;
    this.stats.concealedMs += perKind[PLAYOUT_KIND_PRIORITY.indexOf('concealed')]! * msPerSample;
    this.stats.comfortNoiseMs += perKind[PLAYOUT_KIND_PRIORITY.indexOf('comfort-noise')]! * msPerSample;
    this.stats.silenceMs += perKind[PLAYOUT_KIND_PRIORITY.indexOf('silence')]! * msPerSample;
    this.updateDelayStatistics();
    return { pcm: out, kind: PLAYOUT_KIND_PRIORITY[best]! };
  }

  /** Forgets the stream (new call): queued packets, timing, decoder and noise state. */
  reset(): void {
    this.resync('reset', true);
    this.ssrc = undefined;
    this.mode = 'idle';
  }

  // ---------------------------------------------------------------- timing

  private packetDurationMs(): number {
    return this.packetDurationTicks / this.clockPerMs;
  }

  /** Target for the arrival-normalised level: one packet + delay quantile + half an output frame. */
  private controlTargetMs(): number {
    const wanted = this.packetDurationMs() + this.estimator.quantileMs() + this.frameMs / 2;
    const floorMs = this.estimator.arrivalCount < this.warmUpPackets ? Math.max(this.minDelayMs, this.initialDelayMs) : this.minDelayMs;
    return Math.min(this.maxDelayMs, Math.max(floorMs, wanted));
  }

  /** When a talk spurt whose first packet is `head` should start playing. */
  private spurtStartTimeMs(head: QueuedPacket): number {
    const fastest = this.estimator.fastestTransitMs();
    if (fastest === undefined) return head.arrivalTimeMs;
    return head.timestamp / this.clockPerMs + fastest + this.controlTargetMs() - this.packetDurationMs();
  }

  /**
   * One level sample at an arrival: audio queued ahead of play-out up to the end of the arriving
   * packet (not the newest one: a reordered packet's relative delay belongs to its own position)
   * plus that packet's relative delay.
   */
  private updateLevel(item: QueuedPacket, relativeDelayMs: number): void {
    if (this.playoutTs === undefined) return;
    const arrivalTimeMs = item.arrivalTimeMs;
    const packetsMs = (item.timestamp + this.packetDurationTicks - this.playoutTs) / this.clockPerMs;
    const playingMs = this.lastPullMs === undefined ? 0 : Math.min(this.frameMs, Math.max(0, this.lastPullMs + this.frameMs - arrivalTimeMs));
    const levelMs = packetsMs + this.samplesToMs(this.samples.available) + playingMs + relativeDelayMs;
    this.filteredLevelMs =
      this.filteredLevelMs === undefined ? levelMs : this.filteredLevelMs + LEVEL_SMOOTHING * (levelMs - this.filteredLevelMs);
  }

  private adjustLevel(deltaMs: number): void {
    if (this.filteredLevelMs !== undefined) this.filteredLevelMs += deltaMs;
  }

  private queuedAudioMs(): number {
    let packetsMs = 0;
    const newest = this.queue.newest();
    const head = this.queue.peek();
    if (newest !== undefined && head !== undefined) {
      const from = this.mode === 'playing' && this.playoutTs !== undefined ? this.playoutTs : head.timestamp;
      packetsMs = Math.max(0, (newest.timestamp + this.packetDurationTicks - from) / this.clockPerMs);
    }
    return packetsMs + this.samplesToMs(this.samples.available);
  }

  private updateDelayStatistics(): void {
    const meanMs = this.estimator.meanMs();
    this.stats.targetDelayMs = this.controlTargetMs() - meanMs;
    this.stats.bufferDelayMs =
      this.mode === 'playing' && this.filteredLevelMs !== undefined ? this.filteredLevelMs - meanMs : this.queuedAudioMs();
  }

  private samplesToMs(count: number): number {
    return (count * 1000) / this.sampleRateHz;
  }

  /** Drops the oldest packets when far more audio is queued than the buffer may hold. */
  private enforceCapacity(): void {
    const newest = this.queue.newest();
    const head = this.queue.peek();
    if (newest === undefined || head === undefined) return;
    const from = this.mode === 'playing' && this.playoutTs !== undefined ? this.playoutTs : head.timestamp;
    const end = newest.timestamp + this.packetDurationTicks;
    if ((end - from) / this.clockPerMs <= this.capacityMs) return;
    const keepMs = this.controlTargetMs();
    while (this.queue.length > 1 && (end - this.queue.peek()!.timestamp) / this.clockPerMs > keepMs) {
      const dropped = this.queue.shift()!;
      this.stats.packetsDiscarded++;
      this.lastDecodedSequence = Math.max(this.lastDecodedSequence ?? dropped.sequence, dropped.sequence);
    }
    if (this.mode === 'playing') {
      this.playoutTs = this.queue.peek()!.timestamp;
      this.forceCrossfade = true;
      this.filteredLevelMs = undefined;
      this.underflowTicks = 0;
    }
    this.logger?.debug('jitter buffer overflow: dropped oldest packets', { keepMs });
  }

  /** Starts the timeline over: a new source, or the same source on a new timestamp line. */
  private resync(reason: string, newSource: boolean): void {
    this.stats.packetsDiscarded += this.queue.clear();
    this.stats.resets++;
    this.sequences.reset();
    this.timestamps.reset();
    this.estimator.resetReference();
    this.playoutTs = undefined;
    this.lastDecodedSequence = undefined;
    this.highestSequence = undefined;
    this.recentSequences.clear();
    this.recentOrder.length = 0;
    this.lastAccepted = undefined;
    this.underflowTicks = 0;
    this.filteredLevelMs = undefined;
    if (this.mode === 'playing') this.mode = 'idle';
    if (newSource) this.decoder.reset();
    this.logger?.debug('jitter buffer resync', { reason });
  }

  // ---------------------------------------------------------------- play-out

  /** Adds at least one sample to the sample queue. */
  private produce(nowMs: number): void {
    const need = this.frameSamples - this.samples.available;
    if (this.mode !== 'playing') {
      this.applyQueuedComfortNoise();
      const head = this.queue.peek();
      if (head === undefined || nowMs + this.frameMs / 2 < this.spurtStartTimeMs(head)) {
        this.pushFiller(need);
        return;
      }
      this.mode = 'playing';
      this.playoutTs = head.timestamp;
      this.underflowTicks = 0;
      this.filteredLevelMs = undefined;
    }
    const playoutTs = this.playoutTs!;
    const head = this.queue.peek();
    if (head === undefined) {
      this.underflow(need);
      return;
    }
    if (head.timestamp < playoutTs) {
      this.queue.shift();
      this.stats.packetsLate++;
      return;
    }
    if (head.timestamp > playoutTs) {
      this.fillGap(head, need);
      return;
    }
    if (head.isComfortNoise) {
      this.queue.shift();
      this.markDecoded(head);
      this.applyComfortNoise(head);
      this.enterQuiet('comfort-noise');
      return;
    }
    this.decodeAndPlay();
  }

  /** Nothing queued while playing: conceal without consuming timestamps (delay grows), or go quiet once faded. */
  private underflow(need: number): void {
    if (this.concealing && this.concealer.faded) {
      this.enterQuiet('idle');
      this.pushFiller(need);
      return;
    }
    const ticks = Math.ceil(need / this.samplesPerTick);
    this.conceal(ticks * this.samplesPerTick);
    this.underflowTicks += ticks;
    this.adjustLevel(ticks / this.clockPerMs);
  }

  /** The head packet is ahead of the play-out point. */
  private fillGap(head: QueuedPacket, need: number): void {
    // A marker bit after a gap starts a talk spurt (RFC 3551 §4.1): silence, not loss; reschedule at the target.
    if (head.packet.marker && !head.isComfortNoise) {
      this.enterQuiet('idle');
      this.pushFiller(need);
      return;
    }
    let gapTicks = head.timestamp - this.playoutTs!;
    if (this.underflowTicks > 0) {
      // Concealment already played while the buffer was empty covers (part of) this gap.
      const covered = Math.min(gapTicks, this.underflowTicks);
      this.playoutTs! += covered;
      this.underflowTicks -= covered;
      gapTicks -= covered;
      this.adjustLevel(-covered / this.clockPerMs);
      if (gapTicks === 0) return;
    }
    const ticks = Math.min(Math.ceil(need / this.samplesPerTick), gapTicks);
    this.conceal(Math.round(ticks * this.samplesPerTick));
    this.playoutTs! += ticks;
  }

  private conceal(count: number): void {
    if (!this.concealing) {
      this.concealer.begin(this.samples.tail(this.concealer.historySamples));
      this.concealing = true;
    }
    this.samples.push(this.concealer.next(count), 'concealed');
    this.lastSource = 'conceal';
  }

  private enterQuiet(mode: 'idle' | 'comfort-noise'): void {
    this.mode = mode;
    this.underflowTicks = 0;
    this.filteredLevelMs = undefined;
  }

  /** Silence or comfort noise while not playing, cross-faded from whatever played before. */
  private pushFiller(need: number): void {
    const source: Source = this.mode === 'comfort-noise' && this.noise.isConfigured ? 'comfort-noise' : 'silence';
    const switching = this.lastSource !== source;
    const count = switching ? Math.max(need, this.crossfadeSamples) : need;
    const block = source === 'comfort-noise' ? this.noise.generate(count) : new Float32Array(count);
    if (switching) this.fadeIn(block);
    this.samples.push(block, source);
    this.lastSource = source;
  }

  /** Cross-fades the start of `block` from a continuation of the source that played last. */
  private fadeIn(block: Float32Array): void {
    const length = Math.min(this.crossfadeSamples, block.length);
    let from: Float32Array;
    switch (this.lastSource) {
      case 'audio':
        this.concealer.begin(this.samples.tail(this.concealer.historySamples));
        from = this.concealer.next(length);
        break;
      case 'conceal':
        from = this.concealer.next(length);
        break;
      case 'comfort-noise':
        from = this.noise.generate(length);
        break;
      case 'silence':
        from = new Float32Array(length);
        break;
    }
    block.set(crossfade(from, block.subarray(0, length)), 0);
    this.concealing = false;
  }

  private decodeHead(): Float32Array {
    const item = this.queue.shift()!;
    const pcm = this.decoder.decode(item.packet.payload);
    const ticks = Math.round(pcm.length / this.samplesPerTick);
    if (ticks > 0) this.packetDurationTicks = ticks;
    this.markDecoded(item);
    this.playoutTs = item.timestamp + ticks;
    this.underflowTicks = 0;
    return Float32Array.from(pcm);
  }

  private decodeAndPlay(): void {
    const merging = this.lastSource !== 'audio' || this.forceCrossfade;
    const block = this.decodeHead();
    if (merging) {
      this.fadeIn(block);
      this.forceCrossfade = false;
      this.samples.push(block, 'normal');
      this.lastSource = 'audio';
      return;
    }
    const targetMs = this.controlTargetMs();
    const action = decideLevelAction({ levelMs: this.filteredLevelMs, targetMs });
    if (action === 'normal') {
      this.samples.push(block, 'normal');
      return;
    }
    // Gather enough unplayed audio to find a pitch period in.
    const parts: Float32Array[] = [block];
    let decodedLength = block.length;
    const future = this.samples.future();
    const wanted = Math.round((STRETCH_BLOCK_MS * this.sampleRateHz) / 1000);
    for (let next = this.queue.peek(); future.length + decodedLength < wanted && next !== undefined; next = this.queue.peek()) {
      if (next.isComfortNoise || next.timestamp !== this.playoutTs) break;
      const more = this.decodeHead();
      parts.push(more);
      decodedLength += more.length;
    }
    const combined = new Float32Array(future.length + decodedLength);
    combined.set(future, 0);
    let offset = future.length;
    for (const part of parts) {
      combined.set(part, offset);
      offset += part.length;
    }
    const levelErrorMs = Math.abs((this.filteredLevelMs ?? targetMs) - targetMs);
    const result = timeStretch(combined, {
      direction: action,
      sampleRateHz: this.sampleRateHz,
      maxQuietChangeSamples: Math.round((Math.min(levelErrorMs, this.packetDurationMs()) * this.sampleRateHz) / 1000),
    });
    if (result === undefined) {
      this.samples.replaceFuture(combined, 'normal');
      return;
    }
    const changedMs = this.samplesToMs(result.changedSamples);
    if (action === 'accelerate') {
      this.samples.replaceFuture(result.output, 'accelerated');
      this.stats.accelerateCount++;
      this.stats.acceleratedMs += changedMs;
      this.adjustLevel(-changedMs);
    } else {
      this.samples.replaceFuture(result.output, 'expanded');
      this.stats.expandCount++;
      this.stats.expandedMs += changedMs;
      this.adjustLevel(changedMs);
    }
  }

  private markDecoded(item: QueuedPacket): void {
    if (this.lastDecodedSequence !== undefined && item.sequence > this.lastDecodedSequence + 1) {
      this.stats.packetsLost += item.sequence - this.lastDecodedSequence - 1;
    }
    if (this.lastDecodedSequence === undefined || item.sequence > this.lastDecodedSequence) this.lastDecodedSequence = item.sequence;
    this.recentSequences.add(item.sequence);
    this.recentOrder.push(item.sequence);
    if (this.recentOrder.length > RECENT_SEQUENCES) this.recentSequences.delete(this.recentOrder.shift()!);
  }

  /** CN packets at the head while not playing update the noise right away. */
  private applyQueuedComfortNoise(): void {
    for (let head = this.queue.peek(); head?.isComfortNoise === true; head = this.queue.peek()) {
      this.queue.shift();
      this.markDecoded(head);
      this.applyComfortNoise(head);
      this.playoutTs = Math.max(this.playoutTs ?? head.timestamp, head.timestamp);
      this.mode = 'comfort-noise';
    }
  }

  private applyComfortNoise(item: QueuedPacket): void {
    const parameters = parseComfortNoisePayload(item.packet.payload);
    if (parameters !== undefined) this.noise.update(parameters);
  }
}
