/**
 * Deterministic RTP arrival traces for jitter-buffer tests: a sender
 * packetising a test signal (optionally with talk spurts and RFC 3389 CN),
 * a network (constant delay, Gaussian jitter, stall-and-burst spikes, random
 * or Gilbert–Elliott burst loss, reordering, duplicates) and clocks (sender
 * drift, SSRC change, timestamp jump). Same options + seed → same trace.
 */
import type { AudioEncoder, CodecDescriptor, RtpPacket } from '../../../firmware/media/types.ts';
import { SeededRandom } from '../seeded-random.ts';
import type { SignalFunction } from '../audio/signal-generators.ts';

export interface ArrivalTraceOptions {
  readonly seed: number;
  readonly durationMs: number;
  readonly codec: CodecDescriptor;
  readonly encoder: AudioEncoder;
  readonly signal: SignalFunction;
  readonly packetMs?: number;
  /** One-way delay floor. Default 30 ms. */
  readonly baseDelayMs?: number;
  /** Gaussian jitter: delay = base + σ·N(0,1), floored at 1 ms; σ may vary with send time. */
  readonly jitterStdDevMs?: number | ((sendTimeMs: number) => number);
  /** Every `everyMs` the path stalls for `lengthMs`; what was sent meanwhile arrives together at the end. */
  readonly delaySpikes?: { readonly everyMs: number; readonly lengthMs: number; readonly firstAtMs?: number };
  readonly randomLossRate?: number;
  /** Gilbert–Elliott: long-run loss rate and mean burst length in packets. */
  readonly burstLoss?: { readonly lossRate: number; readonly meanBurstPackets: number };
  /** A fraction of packets gets extra delay (so later packets overtake them). */
  readonly reorder?: { readonly rate: number; readonly extraDelayMs: number };
  /** A fraction of packets arrives twice (second copy 1–30 ms later). */
  readonly duplicateRate?: number;
  /** Sender clock error: +3000 = sender 0.3 % fast (sends more media per real second). */
  readonly senderClockPpm?: number;
  /** Voice activity: alternating talk / silence (exponential lengths); CN packets in silence when a level is given. */
  readonly talkSpurts?: { readonly meanTalkMs: number; readonly meanSilenceMs: number };
  /** Fixed silences [fromMs, toMs) of send time, on top of (or instead of) random talk spurts. */
  readonly silenceWindowsMs?: readonly (readonly [number, number])[];
  /** Send RFC 3389 CN at this level at the start of each silence and every 200 ms in it. */
  readonly comfortNoiseLevelDbov?: number;
  readonly ssrcChangeAtMs?: number;
  /** Same SSRC, timestamp line jumps forward by `timestampJumpTicks` (default 10 min of clock). */
  readonly timestampJumpAtMs?: number;
  readonly timestampJumpTicks?: number;
  readonly firstSequence?: number;
  readonly firstTimestamp?: number;
  readonly ssrc?: number;
}

export interface TracePacket {
  readonly packet: RtpPacket;
  readonly sendTimeMs: number;
  readonly arrivalTimeMs: number;
  readonly kind: 'audio' | 'comfort-noise';
  /** Sender sample index of the packet's first sample. */
  readonly firstSampleIndex: number;
}

export interface ArrivalTrace {
  /** What reaches the receiver, in arrival order (duplicates included, lost packets not). */
  readonly arrivals: readonly TracePacket[];
  /** Everything sent, in send order. */
  readonly sent: readonly TracePacket[];
  readonly sentAudioPackets: number;
  readonly lostAudioPackets: number;
  readonly packetMs: number;
}

const CN_PAYLOAD_TYPE = 13;
const CN_REFRESH_SLOTS = 10;

export function generateArrivalTrace(options: ArrivalTraceOptions): ArrivalTrace {
  const random = new SeededRandom(options.seed);
  const packetMs = options.packetMs ?? 20;
  const { codec } = options;
  const ticksPerPacket = (packetMs * codec.rtpClockRateHz) / 1000;
  const samplesPerPacket = (packetMs * codec.sampleRateHz) / 1000;
  const slotMs = packetMs / (1 + (options.senderClockPpm ?? 0) * 1e-6);
  const baseDelayMs = options.baseDelayMs ?? 30;

  let ssrc = options.ssrc ?? 0x1234abcd;
  let sequence = options.firstSequence ?? 1000;
  let timestampBase = options.firstTimestamp ?? 160_000;
  let slotBase = 0;
  let ssrcChanged = false;
  let jumped = false;

  let randomTalking = true;
  let stateEndsMs = options.talkSpurts ? random.exponential(options.talkSpurts.meanTalkMs) : Infinity;
  let previousTalking = false;
  let firstOfSpurt = true;
  let silentSlots = 0;
  let badState = false;

  const sent: TracePacket[] = [];
  const arrivals: TracePacket[] = [];
  let sentAudioPackets = 0;
  let lostAudioPackets = 0;
  const slots = Math.floor(options.durationMs / slotMs);

  for (let slot = 0; slot < slots; slot++) {
    const sendTimeMs = slot * slotMs;
    if (options.ssrcChangeAtMs !== undefined && !ssrcChanged && sendTimeMs >= options.ssrcChangeAtMs) {
      ssrcChanged = true;
      ssrc = (ssrc + 0x9e3779b9) >>> 0;
      sequence = Math.floor(random.next() * 65536);
      timestampBase = Math.floor(random.next() * 2 ** 32);
      slotBase = slot;
      firstOfSpurt = true;
    }
    if (options.timestampJumpAtMs !== undefined && !jumped && sendTimeMs >= options.timestampJumpAtMs) {
      jumped = true;
      timestampBase += options.timestampJumpTicks ?? 600 * codec.rtpClockRateHz;
      firstOfSpurt = true;
    }
    if (options.talkSpurts && sendTimeMs >= stateEndsMs) {
      randomTalking = !randomTalking;
      stateEndsMs = sendTimeMs + random.exponential(randomTalking ? options.talkSpurts.meanTalkMs : options.talkSpurts.meanSilenceMs);
    }
    const inSilenceWindow = (options.silenceWindowsMs ?? []).some(([fromMs, toMs]) => sendTimeMs >= fromMs && sendTimeMs < toMs);
    const talking = randomTalking && !inSilenceWindow;
    if (talking && !previousTalking) firstOfSpurt = true;
    if (!talking && previousTalking) silentSlots = 0;
    previousTalking = talking;
    const timestamp = (timestampBase + (slot - slotBase) * ticksPerPacket) % 2 ** 32;
    const firstSampleIndex = slot * samplesPerPacket;

    let packet: RtpPacket | undefined;
    let kind: TracePacket['kind'] = 'audio';
    if (talking) {
      const pcm = new Int16Array(samplesPerPacket);
      for (let i = 0; i < samplesPerPacket; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(options.signal(firstSampleIndex + i))));
      packet = makePacket({ payloadType: codec.payloadType, marker: firstOfSpurt, sequence, timestamp, ssrc, payload: options.encoder.encode(pcm) });
      firstOfSpurt = false;
      sentAudioPackets++;
    } else {
      const level = options.comfortNoiseLevelDbov;
      if (level !== undefined && silentSlots % CN_REFRESH_SLOTS === 0) {
        kind = 'comfort-noise';
        packet = makePacket({ payloadType: CN_PAYLOAD_TYPE, marker: false, sequence, timestamp, ssrc, payload: Uint8Array.of(-level & 0x7f) });
      }
      silentSlots++;
    }
    if (packet === undefined) continue;
    sequence = (sequence + 1) & 0xffff;

    const traced = (arrivalTimeMs: number): TracePacket => ({ packet: packet!, sendTimeMs, arrivalTimeMs, kind, firstSampleIndex });
    sent.push(traced(NaN));

    // Loss.
    let lost = false;
    if (options.randomLossRate !== undefined && random.next() < options.randomLossRate) lost = true;
    if (options.burstLoss !== undefined) {
      const leaveBad = 1 / options.burstLoss.meanBurstPackets;
      const enterBad = (options.burstLoss.lossRate * leaveBad) / (1 - options.burstLoss.lossRate);
      badState = badState ? random.next() >= leaveBad : random.next() < enterBad;
      if (badState) lost = true;
    }
    if (lost) {
      if (kind === 'audio') lostAudioPackets++;
      continue;
    }

    // Delay.
    let delayMs = baseDelayMs;
    if (options.jitterStdDevMs !== undefined) {
      const sigmaMs = typeof options.jitterStdDevMs === 'number' ? options.jitterStdDevMs : options.jitterStdDevMs(sendTimeMs);
      delayMs = Math.max(1, baseDelayMs + sigmaMs * random.normal());
    }
    if (options.delaySpikes !== undefined) {
      const { everyMs, lengthMs } = options.delaySpikes;
      const sinceFirst = sendTimeMs - (options.delaySpikes.firstAtMs ?? everyMs);
      if (sinceFirst >= 0) {
        const intoSpike = sinceFirst % everyMs;
        if (intoSpike < lengthMs) delayMs += lengthMs - intoSpike;
      }
    }
    if (options.reorder !== undefined && random.next() < options.reorder.rate) delayMs += options.reorder.extraDelayMs;
    arrivals.push(traced(sendTimeMs + delayMs));
    if (options.duplicateRate !== undefined && random.next() < options.duplicateRate) {
      arrivals.push(traced(sendTimeMs + delayMs + 1 + random.next() * 29));
    }
  }
  arrivals.sort((a, b) => a.arrivalTimeMs - b.arrivalTimeMs);
  return { arrivals, sent, sentAudioPackets, lostAudioPackets, packetMs };
}

function makePacket(fields: {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  payload: Uint8Array;
}): RtpPacket {
  return {
    version: 2,
    paddingBytes: 0,
    marker: fields.marker,
    payloadType: fields.payloadType,
    sequenceNumber: fields.sequence,
    timestamp: fields.timestamp,
    ssrc: fields.ssrc,
    csrcs: [],
    extension: null,
    payload: fields.payload,
  };
}

/** RFC 3550 §6.4.1 interarrival jitter J of a trace's audio packets (ms), for describing it. */
export function interarrivalJitterMs(trace: ArrivalTrace, clockRateHz: number): number {
  let jitter = 0;
  let previousTransit: number | undefined;
  for (const item of trace.arrivals) {
    if (item.kind !== 'audio') continue;
    const transit = item.arrivalTimeMs - (item.packet.timestamp * 1000) / clockRateHz;
    if (previousTransit !== undefined) jitter += (Math.abs(transit - previousTransit) - jitter) / 16;
    previousTransit = transit;
  }
  return jitter;
}
