import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ToneGenerator } from '../../../../firmware/media/tones/tone-generator.ts';
import { cadencedTone, silenceStep, toneStep, type TonePattern } from '../../../../firmware/media/tones/tone-pattern.ts';
import { callProgressTone } from '../../../../firmware/media/tones/call-progress-tones.ts';
import { dbm0ForSineAmplitude, measureLevelDbm0, sineAmplitudeForDbm0 } from '../../../../firmware/media/tones/dbm0.ts';
import { maxStep } from '../../../support/audio/signal-measurements.ts';
import { renderFrames } from '../../../support/audio/render-frames.ts';

test('ITU-T G.711: 0 dBm0 is a sine 3.14 dB below full scale; levels round-trip', () => {
  assert.ok(Math.abs(sineAmplitudeForDbm0(0) - 22_827) < 1);
  assert.ok(Math.abs(sineAmplitudeForDbm0(3.14) - 32_768) < 1e-6);
  assert.ok(Math.abs(dbm0ForSineAmplitude(sineAmplitudeForDbm0(-13)) + 13) < 1e-9);
});

test('generator: output does not depend on the frame size (8/16/48 kHz)', () => {
  const pattern = callProgressTone('uk', 'ringback');
  for (const sampleRateHz of [8000, 16000, 48000]) {
    const whole = new ToneGenerator({ sampleRateHz, pattern }).render((sampleRateHz * 3200) / 1000);
    for (const frameMs of [5, 10, 20, 30]) {
      const generator = new ToneGenerator({ sampleRateHz, pattern });
      const framed = renderFrames((n) => generator.render(n), sampleRateHz, 3200, frameMs).subarray(0, whole.length);
      assert.deepEqual(framed, whole, `${sampleRateHz} Hz in ${frameMs} ms frames`);
    }
  }
});

test('generator: phase-continuous across steps: a frequency change mid-tone makes no step larger than the tone allows', () => {
  const pattern: TonePattern = {
    name: 'glide',
    steps: [toneStep([600], -3, 37), toneStep([900], -3, 41), toneStep([700], -3, 29), silenceStep(50)],
    repeat: true,
  };
  const samples = new ToneGenerator({ sampleRateHz: 8000, pattern }).render(8000);
  const amplitude = sineAmplitudeForDbm0(-3);
  const bound = amplitude * ((2 * Math.PI * 900) / 8000 + Math.PI / (2 * 32)) + 1;
  assert.ok(maxStep(samples) <= bound, `${maxStep(samples)} > ${bound}`);
});

test('generator: without ramps the same cadence clicks (the edge check is not vacuous)', () => {
  const pattern = cadencedTone({ name: 'busy', frequenciesHz: [425], levelDbm0: -3, cadenceMs: [97, 103] });
  const bound = sineAmplitudeForDbm0(-3) * ((2 * Math.PI * 425) / 8000 + Math.PI / (2 * 32)) + 1;
  const smooth = new ToneGenerator({ sampleRateHz: 8000, pattern, rampMs: 4 }).render(8000);
  const abrupt = new ToneGenerator({ sampleRateHz: 8000, pattern, rampMs: 0.1 }).render(8000);
  assert.ok(maxStep(smooth) <= bound);
  assert.ok(maxStep(abrupt) > bound, `abrupt edges measured ${maxStep(abrupt)}`);
});

test('generator: stop() fades out within one ramp, then silence and done', () => {
  const generator = new ToneGenerator({ sampleRateHz: 16000, pattern: callProgressTone('de', 'dial'), rampMs: 4 });
  const before = generator.render(1000);
  generator.stop();
  const after = generator.render(1000);
  assert.equal(generator.done, true);
  assert.ok(after.subarray(64).every((v) => v === 0), 'silent after the 64-sample ramp');
  const joined = new Int16Array(2000);
  joined.set(before);
  joined.set(after, 1000);
  const bound = sineAmplitudeForDbm0(-10) * ((2 * Math.PI * 425) / 16000 + Math.PI / (2 * 64)) + 1;
  assert.ok(maxStep(joined) <= bound);
});

test('generator: a non-repeating pattern ends; a continuous one keeps its level; bad frequencies are refused', () => {
  const once = new ToneGenerator({ sampleRateHz: 8000, pattern: { name: 'once', steps: [toneStep([1000], -10, 50)], repeat: false } });
  once.render(400);
  assert.equal(once.done, true);
  assert.ok(once.render(160).every((v) => v === 0));
  const dial = new ToneGenerator({ sampleRateHz: 48000, pattern: callProgressTone('fr', 'dial') }).render(48000 * 2);
  assert.ok(Math.abs(measureLevelDbm0(dial, 48000, 96000) + 10) < 0.05);
  assert.throws(() => new ToneGenerator({ sampleRateHz: 8000, pattern: cadencedTone({ name: 'x', frequenciesHz: [4500], levelDbm0: -10, cadenceMs: [] }) }), RangeError);
});
