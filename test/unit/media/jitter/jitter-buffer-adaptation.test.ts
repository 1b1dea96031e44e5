import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interarrivalJitterMs } from '../../../support/media/arrival-trace.ts';
import { mean, runJitterScenario, statsAt, statsBetween } from '../../../support/media/jitter-scenario.ts';

// Figures below are measured with 20 ms G.711 packets and 10 ms pulls, and quoted in docs/media.md.
// targetDelayMs / bufferDelayMs are "audio queued when a packet arrives, including it" (see
// jitter-buffer-statistics.ts); the target is one packet + 95th percentile of relative delay
// + half a pull, minus the mean relative delay.

test('constant network delay: the target settles at one packet plus half a pull (≈ 25 ms)', () => {
  const { run } = runJitterScenario({ durationMs: 20_000, trace: { baseDelayMs: 60 } });
  const settled = statsBetween(run, 10_000);
  for (const stats of settled) {
    assert.ok(stats.targetDelayMs >= 20 && stats.targetDelayMs <= 30, `target ${stats.targetDelayMs}`);
    assert.ok(stats.bufferDelayMs >= 20 && stats.bufferDelayMs <= 50, `buffer ${stats.bufferDelayMs}`);
  }
  assert.equal(run.finalStats.concealedMs, 0);
});

test('5 ms jitter: the target converges near 35 ms — far below baresip’s fixed 100–200 ms — with under 1 % late', () => {
  const { run, trace } = runJitterScenario({ durationMs: 60_000, trace: { baseDelayMs: 40, jitterStdDevMs: 5, seed: 2 } });
  const jitterJ = interarrivalJitterMs(trace, 8000);
  assert.ok(jitterJ > 4 && jitterJ < 7, `RFC 3550 J ${jitterJ}`);
  const settled = statsBetween(run, 30_000);
  const target = mean(settled.map((stats) => stats.targetDelayMs));
  const buffered = mean(settled.map((stats) => stats.bufferDelayMs));
  // 95th percentile of delay relative to the fastest packet of 2 s ≈ 4.1σ ≈ 21 ms; minus its mean ≈ 2.5σ.
  assert.ok(target >= 28 && target <= 45, `target ${target}`);
  assert.ok(buffered >= 28 && buffered <= 60, `buffer ${buffered}`);
  assert.ok(Math.max(...settled.map((stats) => stats.bufferDelayMs)) < 100, 'never near baresip’s minimum');
  assert.ok(run.finalStats.packetsLate / trace.sentAudioPackets < 0.01, `late ${run.finalStats.packetsLate}`);
});

test('40 ms Gaussian jitter (RFC 3550 J ≈ 45–55 ms): the target converges to 85–120 ms with under 3 % late', () => {
  const { run, trace } = runJitterScenario({ durationMs: 60_000, trace: { baseDelayMs: 150, jitterStdDevMs: 40, seed: 3 } });
  const jitterJ = interarrivalJitterMs(trace, 8000);
  assert.ok(jitterJ > 35 && jitterJ < 60, `RFC 3550 J ${jitterJ}`); // 1.128σ on average; the 1/16 filter is noisy
  const settled = statsBetween(run, 30_000);
  const target = mean(settled.map((stats) => stats.targetDelayMs));
  const buffered = mean(settled.map((stats) => stats.bufferDelayMs));
  // Covering the 95th percentile of N(0, 40 ms) from the mean takes 1.645σ ≈ 66 ms, plus one packet (20) and
  // half a pull (5) = 91 ms; the window minimum's spread and the forgetting histogram's noise add a little.
  assert.ok(target >= 85 && target <= 120, `target ${target}`);
  assert.ok(buffered >= target - 10 && buffered <= target + 40, `buffer ${buffered} vs target ${target}`);
  const lateShare = run.finalStats.packetsLate / trace.sentAudioPackets;
  assert.ok(lateShare < 0.03, `late ${(lateShare * 100).toFixed(2)} %`);
  assert.ok(run.finalStats.concealedMs / 60_000 < 0.03, `concealed ${run.finalStats.concealedMs} ms`);
});

test('the target rises within a second of jitter growing (5 → 40 ms) and comes back down only over seconds', () => {
  const { run } = runJitterScenario({
    durationMs: 70_000,
    statsEveryFrames: 10,
    trace: { baseDelayMs: 150, jitterStdDevMs: (sendTimeMs) => (sendTimeMs >= 20_000 && sendTimeMs < 40_000 ? 40 : 5), seed: 1 },
  });
  const calm = statsAt(run, 19_900).targetDelayMs;
  assert.ok(calm < 45, `calm target ${calm}`);
  const afterOneSecond = statsAt(run, 21_000).targetDelayMs;
  assert.ok(afterOneSecond > 80, `target 1 s into the jitter: ${afterOneSecond}`);
  const oneSecondCalm = statsAt(run, 41_000).targetDelayMs;
  assert.ok(oneSecondCalm > 70, `target 1 s after the jitter stopped: ${oneSecondCalm}`);
  const twentySecondsCalm = statsAt(run, 60_000).targetDelayMs;
  assert.ok(twentySecondsCalm < 45, `target 20 s after: ${twentySecondsCalm}`);
});

test('200 ms network stalls: nothing is lost or late, the delay grows through each stall and is accelerated back before the next', () => {
  const { run } = runJitterScenario({
    durationMs: 30_000,
    statsEveryFrames: 10,
    trace: { baseDelayMs: 40, delaySpikes: { everyMs: 5000, lengthMs: 200 } },
  });
  assert.equal(run.finalStats.packetsLate, 0);
  assert.equal(run.finalStats.packetsLost, 0);
  assert.ok(run.finalStats.accelerateCount > 0);
  for (const spikeAtMs of [10_000, 15_000, 20_000, 25_000]) {
    const during = Math.max(...statsBetween(run, spikeAtMs, spikeAtMs + 600).map((stats) => stats.bufferDelayMs));
    const before = statsAt(run, spikeAtMs - 100);
    assert.ok(during > 150, `stall at ${spikeAtMs}: buffer reached only ${during}`);
    assert.ok(before.bufferDelayMs < before.targetDelayMs + 30, `before ${spikeAtMs}: ${before.bufferDelayMs} vs ${before.targetDelayMs}`);
  }
  // Each stall starves the buffer for ≈ 200 ms minus what was queued: concealment, not loss.
  assert.ok(run.finalStats.concealedMs < 6 * 200, `concealed ${run.finalStats.concealedMs}`);
});
