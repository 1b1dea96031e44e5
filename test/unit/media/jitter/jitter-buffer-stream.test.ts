import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JitterBuffer } from '../../../../firmware/media/jitter/jitter-buffer.ts';
import type { RtpPacket } from '../../../../firmware/media/types.ts';
import { generateArrivalTrace, type ArrivalTraceOptions } from '../../../support/media/arrival-trace.ts';
import { runPlayout } from '../../../support/media/playout-run.ts';
import { countMismatches, findReferenceOffset } from '../../../support/media/reference-alignment.ts';
import { l16TestCodec, pcmuTestCodec, type TestCodec } from '../../../support/media/test-codecs.ts';
import { speechLikeSignal } from '../../../support/audio/speech-and-music.ts';

const FRAME_MS = 10;

/**
 * Concealment after the first second. During the first second the delay
 * estimate starts from a single packet, so a jittery trace may underflow
 * once or twice while the target climbs; that is measured separately.
 */
function concealedAfterWarmUpMs(run: ReturnType<typeof play>['run']): number {
  const atOneSecond = run.statsTimeline.find((entry) => entry.timeMs >= 1000)!.stats.concealedMs;
  return run.finalStats.concealedMs - atOneSecond;
}

/** What the sender encoded, decoded again: the audio a perfect buffer would play. */
function senderReference(codec: TestCodec, durationMs: number, signal: (n: number) => number): Int16Array {
  const samples = Math.round((durationMs * codec.descriptor.sampleRateHz) / 1000);
  const pcm = new Int16Array(samples);
  for (let i = 0; i < samples; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(signal(i))));
  return codec.createDecoder().decode(codec.createEncoder().encode(pcm));
}

function play(codec: TestCodec, traceOptions: Partial<ArrivalTraceOptions>, durationMs = 10_000) {
  const signal = speechLikeSignal({ amplitude: 8000, sampleRateHz: codec.descriptor.sampleRateHz });
  const trace = generateArrivalTrace({
    seed: 21,
    durationMs,
    codec: codec.descriptor,
    encoder: codec.createEncoder(),
    signal,
    ...traceOptions,
  });
  const buffer = new JitterBuffer({ decoder: codec.createDecoder(), frameDurationMs: FRAME_MS });
  const run = runPlayout(buffer, trace.arrivals, { durationMs, frameMs: FRAME_MS });
  return { trace, run, reference: senderReference(codec, durationMs, signal) };
}

/** Output from `fromMs` of sender audio to the end of the run equals the sender's audio exactly. */
function assertBitExact(run: ReturnType<typeof play>['run'], reference: Int16Array, sampleRateHz: number, fromMs = 3000): void {
  // Past the warm-up: the buffer starts at its 80 ms initial delay and accelerates down to its target first.
  const probeStart = Math.round((sampleRateHz * fromMs) / 1000);
  const offset = findReferenceOffset(run.output, reference, probeStart);
  assert.ok(offset !== undefined, 'sender audio found in the output');
  const length = run.output.length - offset - sampleRateHz / 10; // leave the buffered tail out
  assert.equal(countMismatches(run.output, offset, reference, probeStart, length), 0);
}

test('in-order packets at constant delay: nothing concealed, only the start-up delay trimmed, then bit-exact normal frames', () => {
  const { run, reference } = play(pcmuTestCodec, { baseDelayMs: 30 });
  assertBitExact(run, reference, 8000);
  const firstAudio = run.frameKinds.findIndex((kind) => kind !== 'silence');
  // First packet arrives at 30 ms; play-out starts one initial delay (80 ms) less a packet later.
  assert.ok(firstAudio >= 8 && firstAudio <= 10, `first audio frame ${firstAudio}`);
  assert.deepEqual(new Set(run.frameKinds.slice(300)), new Set(['normal']));
  assert.equal(run.finalStats.concealedMs, 0);
  assert.equal(run.finalStats.expandCount, 0);
  assert.ok(run.finalStats.acceleratedMs > 20 && run.finalStats.acceleratedMs <= 60, `accelerated ${run.finalStats.acceleratedMs} ms`);
  assert.equal(run.finalStats.packetsLate, 0);
  assert.equal(run.frameSamples, 80);
});

test('G.722-style clocking (16 kHz audio, 8 kHz RTP clock): 160-sample frames, bit-exact, delays in real ms', () => {
  const wideband = l16TestCodec({ sampleRateHz: 16000, rtpClockRateHz: 8000 });
  const { run, reference } = play(wideband, { baseDelayMs: 30, jitterStdDevMs: 3 });
  assert.equal(run.frameSamples, 160);
  assertBitExact(run, reference, 16000);
  // 20 ms packets are 160 RTP units here; a buffer confusing units would report 40 ms packets or 2x delays.
  const { targetDelayMs, bufferDelayMs } = run.finalStats;
  assert.ok(targetDelayMs > 20 && targetDelayMs < 45, `target ${targetDelayMs}`);
  assert.ok(bufferDelayMs > 20 && bufferDelayMs < 60, `buffer ${bufferDelayMs}`);
});

test('reordering within the buffer delay is put right: no concealment, bit-exact output, reorders counted', () => {
  // 10 % of packets are held 25 ms and overtaken by their successor; the 95th-percentile target learns to cover them.
  const { run, reference } = play(pcmuTestCodec, { baseDelayMs: 40, reorder: { rate: 0.1, extraDelayMs: 25 } });
  assert.ok(run.finalStats.packetsReordered >= 30, `reordered ${run.finalStats.packetsReordered}`);
  assert.equal(concealedAfterWarmUpMs(run), 0);
  assert.ok(run.finalStats.concealedMs <= 40, `start-up concealment ${run.finalStats.concealedMs} ms`);
  assert.equal(run.finalStats.packetsLost, 0);
  assertBitExact(run, reference, 8000);
});

test('rare reordering is within the delay a configured minimum gives: nothing late from the first packet on', () => {
  const codec = pcmuTestCodec;
  const signal = speechLikeSignal({ amplitude: 8000, sampleRateHz: 8000 });
  const trace = generateArrivalTrace({
    seed: 4,
    durationMs: 10_000,
    codec: codec.descriptor,
    encoder: codec.createEncoder(),
    signal,
    baseDelayMs: 40,
    reorder: { rate: 0.02, extraDelayMs: 30 },
  });
  const buffer = new JitterBuffer({ decoder: codec.createDecoder(), frameDurationMs: FRAME_MS, minDelayMs: 60 });
  const run = runPlayout(buffer, trace.arrivals, { durationMs: 10_000, frameMs: FRAME_MS });
  assert.ok(run.finalStats.packetsReordered >= 5, `reordered ${run.finalStats.packetsReordered}`);
  assert.equal(run.finalStats.concealedMs, 0);
  assert.equal(run.finalStats.packetsLate, 0);
  assertBitExact(run, senderReference(codec, 10_000, signal), 8000);
});

test('duplicates are dropped and counted; the audio still comes out bit-exact', () => {
  const doubled = play(pcmuTestCodec, { baseDelayMs: 35, duplicateRate: 0.1 });
  const duplicates = doubled.trace.arrivals.length - doubled.trace.sent.length;
  assert.ok(duplicates >= 30, `${duplicates} duplicates sent`);
  assert.equal(doubled.run.finalStats.packetsDuplicate, duplicates);
  assert.equal(doubled.run.finalStats.concealedMs, 0);
  assertBitExact(doubled.run, doubled.reference, 8000);
});

test('a packet arriving after its play-out time is dropped and counted late; its slot was concealed and counted lost', () => {
  const codec = pcmuTestCodec;
  const buffer = new JitterBuffer({ decoder: codec.createDecoder(), frameDurationMs: FRAME_MS });
  const encoder = codec.createEncoder();
  const packet = (index: number): RtpPacket => ({
    version: 2,
    paddingBytes: 0,
    marker: index === 0,
    payloadType: 0,
    sequenceNumber: 500 + index,
    timestamp: 8000 + index * 160,
    ssrc: 42,
    csrcs: [],
    extension: null,
    payload: encoder.encode(Int16Array.from({ length: 160 }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 300 * (index * 160 + i)) / 8000)))),
  });
  const kinds: string[] = [];
  for (let frame = 0; frame < 200; frame++) {
    const nowMs = frame * FRAME_MS;
    if (frame % 2 === 0 && frame / 2 !== 40) buffer.insert(packet(frame / 2), nowMs);
    if (frame === 130) buffer.insert(packet(40), nowMs); // 500 ms late
    kinds.push(buffer.pull(nowMs).kind);
  }
  const stats = buffer.statistics;
  assert.equal(stats.packetsLate, 1);
  assert.equal(stats.packetsLost, 1);
  assert.equal(stats.concealedMs, 20);
  assert.equal(kinds.filter((kind) => kind === 'concealed').length, 2);
});

test('sequence numbers and timestamps wrapping mid-call cause no loss, no reset', () => {
  const { run, reference } = play(pcmuTestCodec, { baseDelayMs: 35, firstSequence: 65_500, firstTimestamp: 2 ** 32 - 8000 * 3 });
  assert.equal(run.finalStats.resets, 0);
  assert.equal(run.finalStats.packetsLost, 0);
  assert.equal(concealedAfterWarmUpMs(run), 0);
  assertBitExact(run, reference, 8000);
});

test('an SSRC change resets the stream: one reset, no phantom losses, audio continues within a few frames', () => {
  const { run } = play(pcmuTestCodec, { jitterStdDevMs: 4, ssrcChangeAtMs: 5000 });
  assert.equal(run.finalStats.resets, 1);
  assert.equal(run.finalStats.packetsLost, 0);
  assert.equal(run.finalStats.packetsLate, 0);
  const around = run.frameKinds.slice(490, 530);
  assert.ok(around.filter((kind) => kind !== 'normal').length <= 8, around.join(' '));
  assert.deepEqual(new Set(run.frameKinds.slice(530, 950)), new Set(['normal']));
});

test('a timestamp jump on the same SSRC resynchronises instead of waiting 10 minutes or dropping everything as late', () => {
  const { run } = play(pcmuTestCodec, { jitterStdDevMs: 4, timestampJumpAtMs: 5000 });
  assert.equal(run.finalStats.resets, 1);
  assert.equal(run.finalStats.packetsLate, 0);
  assert.equal(run.finalStats.packetsLost, 0);
  assert.deepEqual(new Set(run.frameKinds.slice(530, 950)), new Set(['normal']));
});

test('packets of another payload type (e.g. telephone-event) are discarded, not decoded as audio', () => {
  const codec = pcmuTestCodec;
  const buffer = new JitterBuffer({ decoder: codec.createDecoder() });
  buffer.insert(
    { version: 2, paddingBytes: 0, marker: true, payloadType: 101, sequenceNumber: 1, timestamp: 0, ssrc: 1, csrcs: [], extension: null, payload: Uint8Array.of(1, 0x80, 0, 160) },
    0,
  );
  assert.equal(buffer.statistics.packetsDiscarded, 1);
  assert.equal(buffer.pull(10).kind, 'silence');
});

test('a flood beyond the buffer capacity (2 s of packets at once) drops the oldest down to the target and plays on', () => {
  const codec = pcmuTestCodec;
  const signal = speechLikeSignal({ amplitude: 8000, sampleRateHz: 8000 });
  // 4 s of normal arrivals, then a 2 s outage whose packets all arrive together.
  const trace = generateArrivalTrace({
    seed: 8,
    durationMs: 10_000,
    codec: codec.descriptor,
    encoder: codec.createEncoder(),
    signal,
    baseDelayMs: 30,
    delaySpikes: { everyMs: 100_000, lengthMs: 2000, firstAtMs: 4000 },
  });
  const buffer = new JitterBuffer({ decoder: codec.createDecoder(), frameDurationMs: FRAME_MS });
  const run = runPlayout(buffer, trace.arrivals, { durationMs: 10_000, frameMs: FRAME_MS, statsEveryFrames: 5 });
  assert.ok(run.finalStats.packetsDiscarded > 20, `discarded ${run.finalStats.packetsDiscarded}`);
  const justAfter = run.statsTimeline.find((entry) => entry.timeMs >= 6100)!.stats;
  assert.ok(justAfter.queuedAudioMs <= 1000, `queued ${justAfter.queuedAudioMs} ms after the flood`);
  assert.deepEqual(new Set(run.frameKinds.slice(900)), new Set(['normal']));
});
