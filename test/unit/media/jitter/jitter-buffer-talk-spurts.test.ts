import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmsDbov } from '../../../support/audio/signal-measurements.ts';
import { percentile } from '../../../support/media/percentile.ts';
import { runJitterScenario, statsAt, statsBetween } from '../../../support/media/jitter-scenario.ts';

test('talk spurts with silent gaps (DTX, no CN): no loss counted across gaps, silence between spurts, delay re-set per spurt', () => {
  const { run, trace } = runJitterScenario({
    durationMs: 60_000,
    trace: { baseDelayMs: 40, jitterStdDevMs: 5, talkSpurts: { meanTalkMs: 1500, meanSilenceMs: 1000 }, seed: 12 },
  });
  const spurts = trace.sent.filter((item) => item.packet.marker).length;
  assert.ok(spurts > 15, `${spurts} spurts`);
  assert.equal(run.finalStats.packetsLost, 0);
  assert.equal(run.finalStats.packetsLate, 0);
  assert.ok(run.frameKinds.filter((kind) => kind === 'silence').length > 1000);
  // The end of each spurt is only noticed as an empty buffer: ≤ 20 ms full-level + 60 ms fade per spurt.
  assert.ok(run.finalStats.concealedMs <= spurts * 80, `concealed ${run.finalStats.concealedMs} ms over ${spurts} spurts`);
  // Spurts start at the target (≈ 35 ms here); the level only runs high while a spurt's end is
  // being concealed (empty buffer, delay growing by the concealment).
  const playing = statsBetween(run, 5000)
    .filter((stats) => stats.bufferDelayMs > 0)
    .map((stats) => stats.bufferDelayMs);
  assert.ok(percentile(playing, 0.5) < 50, `median buffer ${percentile(playing, 0.5)}`);
  assert.ok(percentile(playing, 0.9) < 80, `90th percentile buffer ${percentile(playing, 0.9)}`);
});

test('a talk spurt after a silence starts at the target delay at once, even if the previous spurt had built up excess delay', () => {
  // A 300 ms stall at 5 s leaves ≈ 300 ms queued; speech pauses 6–7 s; the next spurt (marker bit) is re-anchored.
  const { run } = runJitterScenario({
    durationMs: 12_000,
    statsEveryFrames: 5,
    trace: {
      baseDelayMs: 40,
      delaySpikes: { everyMs: 100_000, lengthMs: 300, firstAtMs: 5000 },
      silenceWindowsMs: [[5600, 6600]],
    },
  });
  const beforePause = Math.max(...statsBetween(run, 5300, 5700).map((stats) => stats.bufferDelayMs));
  assert.ok(beforePause > 150, `queued before the pause ${beforePause}`);
  const afterPause = statsAt(run, 6800);
  assert.ok(afterPause.bufferDelayMs <= afterPause.targetDelayMs + 15, `after ${afterPause.bufferDelayMs} vs target ${afterPause.targetDelayMs}`);
  assert.equal(run.finalStats.packetsLost, 0);
});

test('RFC 3389 comfort noise during silences: noise at the requested −50 dBov ± 3 dB, labelled comfort-noise, no concealment', () => {
  const { run, trace } = runJitterScenario({
    durationMs: 30_000,
    trace: { baseDelayMs: 40, jitterStdDevMs: 3, silenceWindowsMs: [[5000, 8000], [15000, 17000], [22000, 26000]], comfortNoiseLevelDbov: -50 },
  });
  assert.ok(trace.sent.some((item) => item.kind === 'comfort-noise'));
  const noiseFrames = run.frameKinds.map((kind, frame) => ({ kind, frame })).filter(({ kind }) => kind === 'comfort-noise');
  assert.ok(noiseFrames.length > 800, `${noiseFrames.length} CN frames`);
  // Level over the inner part of each noise run (skipping the 20 ms glide at each start).
  const steady = noiseFrames.filter(({ frame }) => run.frameKinds[frame - 3] === 'comfort-noise' && run.frameKinds[frame + 1] === 'comfort-noise');
  const samples = steady.flatMap(({ frame }) => [...run.output.subarray(frame * run.frameSamples, (frame + 1) * run.frameSamples)]);
  const level = rmsDbov(samples);
  assert.ok(Math.abs(level + 50) <= 3, `comfort noise at ${level.toFixed(2)} dBov`);
  assert.ok(run.finalStats.comfortNoiseMs > 8000);
  assert.ok(run.finalStats.concealedMs <= 20, `concealed ${run.finalStats.concealedMs} ms`);
  assert.equal(run.finalStats.packetsLost, 0);
});
