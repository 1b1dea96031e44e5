import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runJitterScenario, statsBetween } from '../../../support/media/jitter-scenario.ts';

const FIVE_MINUTES_MS = 300_000;

for (const senderClockPpm of [3000, -3000]) {
  const sign = senderClockPpm > 0 ? '+' : '−';
  test(`sender clock ${sign}0.3 % for 5 minutes: the buffer delay stays bounded, drift is absorbed by ${senderClockPpm > 0 ? 'acceleration' : 'expansion'}`, () => {
    const { run } = runJitterScenario({
      durationMs: FIVE_MINUTES_MS,
      statsEveryFrames: 100,
      trace: { baseDelayMs: 40, jitterStdDevMs: 5, senderClockPpm, seed: 9 },
    });
    // Without adaptation the level would drift by 0.3 % × 300 s = 900 ms.
    const settled = statsBetween(run, 5000);
    const buffers = settled.map((stats) => stats.bufferDelayMs);
    const targets = settled.map((stats) => stats.targetDelayMs);
    assert.ok(Math.min(...buffers) >= 15, `min buffer ${Math.min(...buffers)}`);
    assert.ok(Math.max(...buffers) <= Math.max(...targets) + 40, `max buffer ${Math.max(...buffers)} vs target ${Math.max(...targets)}`);
    const driftMs = 0.003 * FIVE_MINUTES_MS;
    if (senderClockPpm > 0) {
      // Surplus media: ≈ 900 ms removed by accelerate (plus the start-up trim from the 80 ms initial delay).
      assert.ok(Math.abs(run.finalStats.acceleratedMs - driftMs) < 0.15 * driftMs, `accelerated ${run.finalStats.acceleratedMs} ms`);
      assert.equal(run.finalStats.packetsLate, 0);
    } else {
      // Missing media: ≈ 900 ms made up by expansion, the rest by the occasional underflow concealment.
      const madeUp = run.finalStats.expandedMs + run.finalStats.concealedMs;
      assert.ok(Math.abs(madeUp - driftMs) < 0.25 * driftMs, `expanded ${run.finalStats.expandedMs} + concealed ${run.finalStats.concealedMs} ms`);
      assert.ok(run.finalStats.expandedMs > 0.5 * driftMs, `expanded ${run.finalStats.expandedMs} ms`);
    }
    assert.ok(run.finalStats.concealedMs < 0.002 * FIVE_MINUTES_MS + 100, `concealed ${run.finalStats.concealedMs} ms`);
  });
}
