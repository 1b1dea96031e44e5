import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { audioFormat } from '../../../../hal/audio/audio-format.ts';
import { NullSink } from '../../../../hal/audio/simulated/null-sink.ts';
import { ToneSource } from '../../../../hal/audio/simulated/tone-source.ts';
import { MediaLoop, type MediaLoopStats } from '../../../../firmware/media/loop/media-loop.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const format = audioFormat({ sampleRateHz: 8000, frameMs: 20 });
const FRAME = format.frameSamples;
const MINUTES = 5;
const WARM_UP_MS = 10_000;
const TONE_HZ = 440;
const TONE_DBFS = -10;

interface Run {
  readonly stats: MediaLoopStats;
  readonly warmUp: MediaLoopStats;
  /** Largest jump between consecutive captured samples after priming. */
  readonly maxStep: number;
}

/** Tone "microphone" and loudspeaker on one simulated card whose clock is `ppm` off the system clock. */
async function run(ppm: number, driftCompensation: boolean): Promise<Run> {
  const clock = new FakeClock();
  const source = new ToneSource({ format, clock, frequencyHz: TONE_HZ, levelDbfs: TONE_DBFS, clockSkewPpm: ppm, maxRecordedFrames: 1 });
  const sink = new NullSink({ format, clock, clockSkewPpm: ppm, maxRecordedFrames: 1 });
  await source.start();
  await sink.start();
  let previous: number | undefined;
  let maxStep = 0;
  let primed = false;
  const loop = new MediaLoop({
    clock,
    format,
    source,
    sink,
    driftCompensation,
    onCaptureFrame: (frame) => {
      if (!primed && frame.some((s) => s !== 0)) primed = true;
      if (!primed) return;
      for (const sample of frame) {
        if (previous !== undefined) maxStep = Math.max(maxStep, Math.abs(sample - previous));
        previous = sample;
      }
    },
  });
  loop.start();
  clock.advance(WARM_UP_MS);
  const warmUp = loop.stats();
  loop.resetLevelMarks();
  clock.advance(MINUTES * 60_000 - WARM_UP_MS);
  const stats = loop.stats();
  loop.stop();
  await source.stop();
  await sink.stop();
  return { stats, warmUp, maxStep };
}

// Steepest sample-to-sample change of the tone itself (amplitude × 2πf/fs), with 10 % for resampling.
const toneAmplitude = 32767 * 10 ** (TONE_DBFS / 20);
const smoothStepBound = toneAmplitude * ((2 * Math.PI * TONE_HZ) / format.sampleRateHz) * 1.1;

describe(`media loop drift compensation over ${MINUTES} simulated minutes (8 kHz, 20 ms frames)`, () => {
  for (const ppm of [5000, -5000]) {
    const label = `${ppm > 0 ? '+' : ''}${ppm / 10000} %`;

    test(`device ${label}: queues stay bounded, no starvation, underrun or overrun, rate measured`, async () => {
      const { stats, warmUp, maxStep } = await run(ppm, true);
      const capture = stats.capture!;
      const playback = stats.playback!;
      assert.equal(stats.ticks, (MINUTES * 60_000) / 20 + 1);

      // The device's rate is measured to within 100 ppm on both sides.
      assert.ok(Math.abs(capture.deviceDeviationPpm! - ppm) < 100, `capture estimate ${capture.deviceDeviationPpm} ppm`);
      assert.ok(Math.abs(playback.deviceDeviationPpm! - ppm) < 100, `playback estimate ${playback.deviceDeviationPpm} ppm`);

      // Capture: after warm-up the queue stays between one frame and the target plus 1.5 frames.
      assert.equal(capture.starvedTicks, 0);
      assert.equal(capture.overflowDroppedSamples, 0);
      assert.equal(warmUp.capture!.starvedTicks, 0);
      assert.ok(capture.minLevelSamples >= FRAME, `capture min level ${capture.minLevelSamples}`);
      assert.ok(capture.maxLevelSamples <= 3.5 * FRAME, `capture max level ${capture.maxLevelSamples}`);

      // Playback: no underrun, no overrun at any time; buffer between 1 and 4 frames after warm-up.
      assert.equal(warmUp.playback!.underruns + playback.underruns, 0);
      assert.equal(playback.overruns, 0);
      assert.ok(playback.minLevelSamples! >= FRAME, `playback min level ${playback.minLevelSamples}`);
      assert.ok(playback.maxLevelSamples! <= 4 * FRAME, `playback max level ${playback.maxLevelSamples}`);

      // The resampler absorbed the drift: about 0.5 % of the samples dropped (fast device) or inserted (slow).
      const expected = -(ppm / 1e6) * format.sampleRateHz * MINUTES * 60;
      assert.ok(Math.abs(capture.resamplerAdjustSamples - expected) < 0.05 * Math.abs(expected), `capture adjust ${capture.resamplerAdjustSamples}, expected ~${expected}`);
      assert.ok(Math.abs(playback.resamplerAdjustSamples + expected) < 0.05 * Math.abs(expected), `playback adjust ${playback.resamplerAdjustSamples}, expected ~${-expected}`);

      // And it did so without clicks: the captured tone stays as smooth as a sine.
      assert.ok(maxStep <= smoothStepBound, `largest sample step ${maxStep} > ${smoothStepBound.toFixed(0)}`);
    });

    test(`device ${label} without compensation: the same run loses audio (the test can tell)`, async () => {
      const { stats } = await run(ppm, false);
      const capture = stats.capture!;
      const playback = stats.playback!;
      if (ppm > 0) {
        assert.ok(capture.overflowDroppedSamples > 10_000, `capture dropped ${capture.overflowDroppedSamples}`);
        assert.ok(playback.underruns > 100, `playback underruns ${playback.underruns}`);
      } else {
        assert.ok(capture.starvedTicks > 50, `capture starved ${capture.starvedTicks}`);
        assert.ok(playback.overruns > 50, `playback overruns ${playback.overruns}`);
      }
    });
  }

  test('device on time: compensation changes nothing', async () => {
    const { stats } = await run(0, true);
    assert.ok(Math.abs(stats.capture!.resamplerAdjustSamples) <= 1, `capture adjust ${stats.capture!.resamplerAdjustSamples}`);
    assert.ok(Math.abs(stats.playback!.resamplerAdjustSamples) <= 1, `playback adjust ${stats.playback!.resamplerAdjustSamples}`);
    assert.equal(stats.playback!.underruns, 0);
    assert.equal(stats.capture!.starvedTicks, 0);
  });
});
