/**
 * CPU one call costs the phone, per codec: for every 20 ms of call, the
 * outgoing frame is encoded, packetized (RtpSender) and serialized, and the
 * far end's datagrams that have arrived by then are parsed and inserted into
 * the jitter buffer, which is pulled once (decoding the incoming audio).
 * Driven synchronously: the far end's stream is prepared beforehand (its
 * encoding is not the phone's work) with arrival times from a seeded mild
 * jitter trace, and time is the simulated tick time.
 */
import { frameTiming } from '../../firmware/media/codecs/frame-timing.ts';
import { JitterBuffer, type JitterBufferStatistics } from '../../firmware/media/jitter/index.ts';
import { parseRtpPacket, serializeRtpPacket } from '../../firmware/media/rtp/rtp-packet.ts';
import { RtpSender } from '../../firmware/media/rtp/rtp-sender.ts';
import type { CodecFactory } from '../../firmware/media/types.ts';
import { sweepWithNoise } from '../support/audio/signal-generators.ts';
import { mildJitterNetwork } from './media-jitter-trace.ts';

export const PTIME_MS = 20;

export interface CpuSample {
  /** User + system CPU, ms (`process.cpuUsage()`). */
  readonly cpuMs: number;
  /** Wall time, ms (`performance.now()`). */
  readonly wallMs: number;
}

export interface PerFrameTiming {
  /** Capture frame → datagram: encode + packetize + serialize, µs per 20 ms frame. */
  readonly sendMedianUs: number;
  readonly sendP99Us: number;
  /** Datagrams in → playback frame: parse + jitter-buffer insert + pull (decode), µs per 20 ms tick. */
  readonly receiveMedianUs: number;
  readonly receiveP99Us: number;
}

export interface CallCpuResult {
  readonly callMs: number;
  /** Median of the measured runs. */
  readonly call: CpuSample;
  readonly callMinCpuMs: number;
  /** Encode all outgoing frames + decode all incoming payloads, nothing else (median). */
  readonly codecOnly: CpuSample;
  readonly perFrame: PerFrameTiming;
  /** The jitter buffer after the last measured run: shows the trace was mild. */
  readonly jitterBuffer: JitterBufferStatistics;
}

interface Incoming {
  readonly datagrams: readonly Uint8Array[];
  readonly payloads: readonly Uint8Array[];
  readonly arrivalMs: readonly number[];
}

const sweep = (sampleRateHz: number, callMs: number, seed: number, endHz: number): Int16Array =>
  sweepWithNoise({ sampleRateHz, durationMs: callMs, startHz: 100, endHz, amplitude: 9000, noiseAmplitude: 1500, seed });
const topHz = (sampleRateHz: number): number => Math.min(7000, sampleRateHz / 2 - 200);

/** The phone's microphone signal for a call (also what the ffmpeg reference transcodes). */
export function microphoneSignal(sampleRateHz: number, callMs: number, seed: number): Int16Array {
  return sweep(sampleRateHz, callMs, seed, topHz(sampleRateHz));
}

/** The far end's stream as it reaches the phone, in arrival order. */
function prepareIncoming(factory: CodecFactory, signal: Int16Array, seed: number): Incoming {
  const { descriptor } = factory;
  const timing = frameTiming(descriptor, PTIME_MS);
  const encoder = factory.createEncoder();
  const sender = new RtpSender({ payloadType: descriptor.payloadType, clockRateHz: descriptor.rtpClockRateHz, ssrc: 0x0badcafe, initialSequenceNumber: 65000, initialTimestamp: 0xffff0000 });
  const arrive = mildJitterNetwork({ seed });
  const packets: { datagram: Uint8Array; payload: Uint8Array; arrivalMs: number }[] = [];
  for (let frame = 0; (frame + 1) * timing.samplesPerFrame <= signal.length; frame++) {
    const sendMs = (frame + 1) * PTIME_MS;
    const payload = encoder.encode(signal.subarray(frame * timing.samplesPerFrame, (frame + 1) * timing.samplesPerFrame));
    const datagram = serializeRtpPacket(sender.packetize(payload, { timestampIncrement: timing.rtpTimestampIncrement, nowMs: sendMs }));
    packets.push({ datagram, payload, arrivalMs: arrive(sendMs) });
  }
  encoder.close?.();
  const payloads = packets.map((packet) => packet.payload); // send order, for the codec-only decode
  packets.sort((a, b) => a.arrivalMs - b.arrivalMs);
  return { datagrams: packets.map((p) => p.datagram), payloads, arrivalMs: packets.map((p) => p.arrivalMs) };
}

interface CallRun {
  readonly sendUs: Float64Array | undefined;
  readonly receiveUs: Float64Array | undefined;
  readonly statistics: JitterBufferStatistics;
  /** Folded output, so nothing is optimised away. */
  readonly checksum: number;
}

/** One call, phone side; with `timeFrames`, every tick's two halves are timed (used as the warm-up run). */
function runCall(factory: CodecFactory, mic: Int16Array, incoming: Incoming, timeFrames: boolean): CallRun {
  const { descriptor } = factory;
  const timing = frameTiming(descriptor, PTIME_MS);
  const frames = Math.floor(mic.length / timing.samplesPerFrame);
  const encoder = factory.createEncoder();
  const decoder = factory.createDecoder();
  const sender = new RtpSender({ payloadType: descriptor.payloadType, clockRateHz: descriptor.rtpClockRateHz, ssrc: 0x5eed1234, initialSequenceNumber: 1, initialTimestamp: 0 });
  const jitterBuffer = new JitterBuffer({ decoder, frameDurationMs: PTIME_MS });
  const sendUs = timeFrames ? new Float64Array(frames) : undefined;
  const receiveUs = timeFrames ? new Float64Array(frames) : undefined;
  let checksum = 0;
  let next = 0;
  for (let frame = 0; frame < frames; frame++) {
    const nowMs = (frame + 1) * PTIME_MS;
    const t0 = timeFrames ? performance.now() : 0;
    const payload = encoder.encode(mic.subarray(frame * timing.samplesPerFrame, (frame + 1) * timing.samplesPerFrame));
    const datagram = serializeRtpPacket(sender.packetize(payload, { timestampIncrement: timing.rtpTimestampIncrement, nowMs }));
    checksum += datagram.byteLength;
    const t1 = timeFrames ? performance.now() : 0;
    for (; next < incoming.datagrams.length && (incoming.arrivalMs[next] ?? Infinity) <= nowMs; next++) {
      const parsed = parseRtpPacket(incoming.datagrams[next] ?? new Uint8Array(0));
      if (parsed.ok) jitterBuffer.insert(parsed.packet, incoming.arrivalMs[next] ?? nowMs);
    }
    const { pcm } = jitterBuffer.pull(nowMs);
    checksum += pcm[pcm.length >> 1] ?? 0;
    if (sendUs && receiveUs) {
      const t2 = performance.now();
      sendUs[frame] = 1000 * (t1 - t0);
      receiveUs[frame] = 1000 * (t2 - t1);
    }
  }
  encoder.close?.();
  decoder.close?.();
  return { sendUs, receiveUs, statistics: jitterBuffer.statistics, checksum };
}

function runCodecOnly(factory: CodecFactory, mic: Int16Array, incoming: Incoming): number {
  const { samplesPerFrame } = frameTiming(factory.descriptor, PTIME_MS);
  const encoder = factory.createEncoder();
  const decoder = factory.createDecoder();
  let checksum = 0;
  for (let offset = 0; offset + samplesPerFrame <= mic.length; offset += samplesPerFrame) checksum += encoder.encode(mic.subarray(offset, offset + samplesPerFrame)).byteLength;
  for (const payload of incoming.payloads) checksum += decoder.decode(payload).length;
  encoder.close?.();
  decoder.close?.();
  return checksum;
}

function measure(body: () => void): CpuSample {
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  body();
  const wallMs = performance.now() - wallBefore;
  const cpu = process.cpuUsage(cpuBefore);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
}

const quantile = (values: Float64Array | readonly number[], q: number): number => {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

const medianSample = (samples: readonly CpuSample[]): CpuSample => ({
  cpuMs: quantile(samples.map((s) => s.cpuMs), 0.5),
  wallMs: quantile(samples.map((s) => s.wallMs), 0.5),
});

export interface CallCpuOptions {
  readonly callMs: number;
  /** Measured runs after the timed warm-up run (default 3). */
  readonly runs?: number;
  readonly seed: number;
}

export function measureCallCpu(factory: CodecFactory, options: CallCpuOptions): CallCpuResult {
  const { sampleRateHz } = factory.descriptor;
  const mic = microphoneSignal(sampleRateHz, options.callMs, options.seed);
  const incoming = prepareIncoming(factory, sweep(sampleRateHz, options.callMs, options.seed + 1, topHz(sampleRateHz) / 2), options.seed + 2);
  const warmUp = runCall(factory, mic, incoming, true);
  const runs = options.runs ?? 3;
  const calls: CpuSample[] = [];
  let last: CallRun = warmUp;
  for (let run = 0; run < runs; run++) calls.push(measure(() => (last = runCall(factory, mic, incoming, false))));
  runCodecOnly(factory, mic, incoming); // warm-up
  const codecOnly: CpuSample[] = [];
  for (let run = 0; run < runs; run++) codecOnly.push(measure(() => runCodecOnly(factory, mic, incoming)));
  if (last.checksum !== warmUp.checksum) throw new Error(`${factory.descriptor.name}: call runs disagree (checksum ${last.checksum} vs ${warmUp.checksum})`);
  const sendUs = warmUp.sendUs ?? new Float64Array(1);
  const receiveUs = warmUp.receiveUs ?? new Float64Array(1);
  return {
    callMs: options.callMs,
    call: medianSample(calls),
    callMinCpuMs: Math.min(...calls.map((c) => c.cpuMs)),
    codecOnly: medianSample(codecOnly),
    perFrame: { sendMedianUs: quantile(sendUs, 0.5), sendP99Us: quantile(sendUs, 0.99), receiveMedianUs: quantile(receiveUs, 0.5), receiveP99Us: quantile(receiveUs, 0.99) },
    jitterBuffer: last.statistics,
  };
}
