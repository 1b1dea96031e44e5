import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { audioFormat } from '../../../../hal/audio/audio-format.ts';
import { NullSink } from '../../../../hal/audio/simulated/null-sink.ts';
import { ToneSource } from '../../../../hal/audio/simulated/tone-source.ts';
import { MediaLoop, type MediaLoopPacing, type MediaLoopStats } from '../../../../firmware/media/loop/media-loop.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const format = audioFormat({ sampleRateHz: 8000, frameMs: 20 });
const FRAME = format.frameSamples;
const MINUTES = 5;
const WARM_UP_MS = 10_000;
const TONE_HZ = 440;
const TONE_DBFS = -10;
/** Frames of the nominal rate in the run (ticks 0 .. 15 000). */
const NOMINAL_FRAMES = (MINUTES * 60_000) / 20 + 1;

interface Run {
  readonly stats: MediaLoopStats;
  readonly warmUp: MediaLoopStats;
  /** Largest jump between consecutive captured samples after the tone starts. */
  readonly maxStep: number;
  /** Frames handed to the encoder / asked of the jitter buffer. */
  readonly captured: number;
  readonly requested: number;
}

/** Tone "microphone" and loudspeaker on one simulated card whose clock is `ppm` off the system clock. */
async function run(ppm: number, driftCompensation: boolean, pacing: MediaLoopPacing = 'system'): Promise<Run> {
  const clock = new FakeClock();
  const source = new ToneSource({ format, clock, frequencyHz: TONE_HZ, levelDbfs: TONE_DBFS, clockSkewPpm: ppm, maxRecordedFrames: 1 });
  const sink = new NullSink({ format, clock, clockSkewPpm: ppm, maxRecordedFrames: 1 });
  await source.start();
  await sink.start();
  let previous: number | undefined;
  let maxStep = 0;
  let started = false;
  let captured = 0;
  let requested = 0;
  const loop = new MediaLoop({
    clock,
    format,
    source,
    sink,
    pacing,
    driftCompensation,
    onCaptureFrame: (frame) => {
      captured++;
      if (!started && frame.some((s) => s !== 0)) started = true;
      if (!started) return;
      for (const sample of frame) {
        if (previous !== undefined) maxStep = Math.max(maxStep, Math.abs(sample - previous));
        previous = sample;
      }
    },
    nextPlaybackFrame: () => {
      requested++;
      return undefined;
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
  return { stats, warmUp, maxStep, captured, requested };
}

// Steepest sample-to-sample change of the tone itself (amplitude × 2πf/fs), with 10 % for resampling.
const toneAmplitude = 32767 * 10 ** (TONE_DBFS / 20);
const smoothStepBound = toneAmplitude * ((2 * Math.PI * TONE_HZ) / format.sampleRateHz) * 1.1;

describe(`media loop drift compensation, system pacing, over ${MINUTES} simulated minutes (8 kHz, 20 ms frames)`, () => {
  for (const ppm of [5000, -5000]) {
    const label = `${ppm > 0 ? '+' : ''}${ppm / 10000} %`;

    test(`device ${label}: queues stay bounded, no underrun or overrun, every frame handed on at the nominal rate, rate measured`, async () => {
      const { stats, warmUp, maxStep, captured } = await run(ppm, true);
      const capture = stats.capture!;
      const playback = stats.playback!;
      assert.equal(stats.ticks, NOMINAL_FRAMES);
      assert.equal(playback.pacing, 'system');

      // The device's rate is measured to within 100 ppm on both sides.
      assert.ok(Math.abs(capture.deviceDeviationPpm! - ppm) < 100, `capture estimate ${capture.deviceDeviationPpm} ppm`);
      assert.ok(Math.abs(playback.deviceDeviationPpm! - ppm) < 100, `playback estimate ${playback.deviceDeviationPpm} ppm`);

      // Capture is event-driven: every whole frame the resampler can make is handed on at once, so what stays
      // behind is less than one frame (+1 sample of look-ahead, +1 % for the step), and the encoder gets the nominal count.
      assert.equal(captured, capture.framesHandedOff);
      assert.ok(Math.abs(captured - NOMINAL_FRAMES) <= 2, `captured ${captured} frames, nominal ${NOMINAL_FRAMES}`);
      assert.ok(capture.minLevelSamples >= 0, `capture min level ${capture.minLevelSamples}`);
      assert.ok(capture.maxLevelSamples <= FRAME * 1.01 + 1, `capture max level ${capture.maxLevelSamples}`);

      // Playback: no underrun, no overrun at any time. The level after a write (device delay + our partial frame,
      // target 2.5 frames) must keep the device fed until the next tick: device delay ≥ 1 frame with the partial
      // frame (< 1 frame) on top, i.e. ≥ 2 frames; and it stays within half a frame of its target.
      assert.equal(warmUp.playback!.underruns + playback.underruns, 0);
      assert.equal(playback.overruns, 0);
      assert.ok(playback.minLevelSamples! >= 2 * FRAME, `playback min level ${playback.minLevelSamples}`);
      assert.ok(playback.maxLevelSamples! <= 3 * FRAME, `playback max level ${playback.maxLevelSamples}`);

      // The resampler absorbed the drift: about 0.5 % of the samples dropped (fast device) or inserted (slow).
      const expected = -(ppm / 1e6) * format.sampleRateHz * MINUTES * 60;
      assert.ok(Math.abs(capture.resamplerAdjustSamples - expected) < 0.05 * Math.abs(expected), `capture adjust ${capture.resamplerAdjustSamples}, expected ~${expected}`);
      assert.ok(Math.abs(playback.resamplerAdjustSamples + expected) < 0.05 * Math.abs(expected), `playback adjust ${playback.resamplerAdjustSamples}, expected ~${-expected}`);

      // And it did so without clicks: the captured tone stays as smooth as a sine.
      assert.ok(maxStep <= smoothStepBound, `largest sample step ${maxStep} > ${smoothStepBound.toFixed(0)}`);
    });

    test(`device ${label} without compensation: the same run goes wrong (the test can tell)`, async () => {
      const { stats, captured } = await run(ppm, false);
      const playback = stats.playback!;
      // Capture passes the device's frames through: the encoder runs 0.5 % off the nominal rate (75 frames in 5 min).
      assert.ok(Math.abs(captured - NOMINAL_FRAMES) > 50, `captured ${captured} frames, nominal ${NOMINAL_FRAMES}`);
      if (ppm > 0) assert.ok(playback.underruns > 100, `playback underruns ${playback.underruns}`);
      else assert.ok(playback.overruns > 50, `playback overruns ${playback.overruns}`);
    });
  }

  test('device on time: compensation changes nothing', async () => {
    const { stats, captured } = await run(0, true);
    assert.ok(Math.abs(stats.capture!.resamplerAdjustSamples) <= 1, `capture adjust ${stats.capture!.resamplerAdjustSamples}`);
    assert.ok(Math.abs(stats.playback!.resamplerAdjustSamples) <= 1, `playback adjust ${stats.playback!.resamplerAdjustSamples}`);
    assert.equal(stats.playback!.underruns, 0);
    assert.ok(Math.abs(captured - NOMINAL_FRAMES) <= 1, `captured ${captured}`);
  });
});

describe(`media loop, device pacing (default), over ${MINUTES} simulated minutes (8 kHz, 20 ms frames)`, () => {
  for (const ppm of [5000, -5000, 0]) {
    const label = `${ppm > 0 ? '+' : ''}${ppm / 10000} %`;

    test(`device ${label}: frames follow the device's clock, each written 10 ms before it is due, no underrun or overrun, nothing resampled`, async () => {
      const { stats, warmUp, maxStep, captured, requested } = await run(ppm, true, 'device');
      const capture = stats.capture!;
      const playback = stats.playback!;
      assert.equal(playback.pacing, 'device');
      const deviceFrames = NOMINAL_FRAMES * (1 + ppm / 1e6);

      // Capture: every device frame goes to the encoder as delivered (at the device's rate), nothing held back.
      assert.equal(captured, capture.framesDelivered);
      assert.ok(Math.abs(captured - deviceFrames) <= 2, `captured ${captured}, device frames ${deviceFrames}`);
      assert.equal(capture.maxLevelSamples, 0);
      assert.equal(capture.resamplerAdjustSamples, 0);
      assert.ok(Math.abs(capture.deviceDeviationPpm! - ppm) < 100, `capture estimate ${capture.deviceDeviationPpm} ppm`);

      // Playback: the jitter buffer is asked once per device frame; no underrun or overrun at any time; right
      // after each write the device holds the new frame plus the 10 ms lead (up to 1/20 frame of wake-up tolerance).
      assert.ok(Math.abs(requested - deviceFrames) <= 2, `requested ${requested}, device frames ${deviceFrames}`);
      assert.equal(warmUp.playback!.underruns + playback.underruns, 0);
      assert.equal(warmUp.playback!.overruns + playback.overruns, 0);
      assert.equal(playback.leadMs, 10);
      assert.ok(playback.minLevelSamples! >= 1.5 * FRAME - 1, `playback min level ${playback.minLevelSamples}`);
      assert.ok(playback.maxLevelSamples! <= 1.55 * FRAME, `playback max level ${playback.maxLevelSamples}`);
      assert.equal(playback.resamplerAdjustSamples, 0);
      assert.ok(Math.abs(playback.deviceDeviationPpm! - ppm) < 100, `playback estimate ${playback.deviceDeviationPpm} ppm`);

      // The device's own samples, untouched: the tone is as smooth as a sine.
      assert.ok(maxStep <= smoothStepBound, `largest sample step ${maxStep} > ${smoothStepBound.toFixed(0)}`);
    });
  }
});
