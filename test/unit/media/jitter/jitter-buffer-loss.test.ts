import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxStep } from '../../../support/audio/signal-measurements.ts';
import { runJitterScenario } from '../../../support/media/jitter-scenario.ts';
import { sineSignal } from '../../../support/audio/signal-generators.ts';
import { speechLikeSignal } from '../../../support/audio/speech-and-music.ts';

const PACKET_MS = 20;
const DURATION_MS = 30_000;
const sine = sineSignal({ frequencyHz: 440, amplitude: 8000, sampleRateHz: 8000 });
/** The sine's own largest sample-to-sample step after G.711 coding (≈ 2·8000·sin(π·440/8000) ≈ 2760). */
const SINE_OWN_STEP = (() => {
  const { run } = runJitterScenario({ durationMs: 3000, signal: sine, trace: { baseDelayMs: 30 } });
  return maxStep(run.output, 2000);
})();

/** Largest step of the output within ±5 ms of every frame boundary where the kind changes. */
function maxStepAtKindChanges(output: Int16Array, kinds: readonly string[], frameSamples: number): { step: number; boundaries: number } {
  let step = 0;
  let boundaries = 0;
  for (let frame = 1; frame < kinds.length; frame++) {
    if (kinds[frame] === kinds[frame - 1]) continue;
    boundaries++;
    const at = frame * frameSamples;
    step = Math.max(step, maxStep(output, at - 40, Math.min(output.length, at + 40)));
  }
  return { step, boundaries };
}

for (const lossRate of [0.05, 0.1, 0.3]) {
  test(`${lossRate * 100} % random loss: concealed time ≈ lost time, losses counted, no click where concealment starts or ends`, () => {
    const { run, trace } = runJitterScenario({
      durationMs: DURATION_MS,
      signal: sine,
      trace: { baseDelayMs: 40, jitterStdDevMs: 3, randomLossRate: lossRate, seed: 5 },
    });
    const lostMs = trace.lostAudioPackets * PACKET_MS;
    // The last ~50 ms of the trace are still queued when the run stops; losses there are not played yet.
    assert.ok(Math.abs(run.finalStats.packetsLost - trace.lostAudioPackets) <= 3, `${run.finalStats.packetsLost} counted vs ${trace.lostAudioPackets} dropped`);
    assert.ok(Math.abs(run.finalStats.concealedMs - lostMs) <= 0.08 * lostMs + 60, `concealed ${run.finalStats.concealedMs} ms vs lost ${lostMs} ms`);
    const changes = maxStepAtKindChanges(run.output, run.frameKinds, run.frameSamples);
    assert.ok(changes.boundaries > 50);
    assert.ok(changes.step <= 1.3 * SINE_OWN_STEP, `max step ${changes.step} at ${changes.boundaries} boundaries; sine's own ${SINE_OWN_STEP}`);
    assert.ok(maxStep(run.output, 8000) <= 1.3 * SINE_OWN_STEP, `max step anywhere ${maxStep(run.output, 8000)}`);
  });
}

test('burst loss (Gilbert–Elliott, 10 %, mean burst 3 packets): lost time is covered by concealment fading to silence, without a click', () => {
  const { run, trace } = runJitterScenario({
    durationMs: DURATION_MS,
    signal: sine,
    trace: { baseDelayMs: 40, jitterStdDevMs: 3, burstLoss: { lossRate: 0.1, meanBurstPackets: 3 }, seed: 6 },
  });
  const lostMs = trace.lostAudioPackets * PACKET_MS;
  assert.ok(trace.lostAudioPackets > 100);
  assert.ok(Math.abs(run.finalStats.packetsLost - trace.lostAudioPackets) <= 3);
  // With a ~30 ms target a burst usually empties the buffer: concealment runs 20 ms at full level,
  // fades over 60 ms, then the rest of a long burst is played as silence until packets resume.
  const startUpSilenceMs = run.frameKinds.findIndex((kind) => kind !== 'silence') * 10;
  const coveredMs = run.finalStats.concealedMs + run.finalStats.silenceMs - startUpSilenceMs;
  assert.ok(Math.abs(coveredMs - lostMs) <= 0.08 * lostMs + 60, `concealed ${run.finalStats.concealedMs} + silence ${run.finalStats.silenceMs - startUpSilenceMs} ms vs lost ${lostMs} ms`);
  assert.ok(run.finalStats.concealedMs >= 0.7 * lostMs, `concealed ${run.finalStats.concealedMs} ms of ${lostMs} ms`);
  assert.ok(maxStep(run.output, 8000) <= 1.3 * SINE_OWN_STEP, `max step ${maxStep(run.output, 8000)} vs ${SINE_OWN_STEP}`);
  const changes = maxStepAtKindChanges(run.output, run.frameKinds, run.frameSamples);
  assert.ok(run.frameKinds.slice(100).includes('silence'), 'some burst outlasted the fade');
  assert.ok(changes.step <= 1.3 * SINE_OWN_STEP);
});

test('10 % loss on speech-like audio: no step larger than the signal’s own', () => {
  const speech = speechLikeSignal({ amplitude: 8000, sampleRateHz: 8000 });
  const clean = runJitterScenario({ durationMs: 10_000, signal: speech, trace: { baseDelayMs: 40 } });
  const ownStep = maxStep(clean.run.output, 8000);
  const { run } = runJitterScenario({ durationMs: DURATION_MS, signal: speech, trace: { baseDelayMs: 40, jitterStdDevMs: 3, randomLossRate: 0.1, seed: 8 } });
  assert.ok(run.finalStats.concealedMs > 2000);
  assert.ok(maxStep(run.output, 8000) <= 1.25 * ownStep, `max step ${maxStep(run.output, 8000)} vs own ${ownStep}`);
});
