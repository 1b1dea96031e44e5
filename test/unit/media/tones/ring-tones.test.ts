import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RING_TONE_NAMES, keyClick, ringTone } from '../../../../firmware/media/tones/ring-tones.ts';
import { ToneGenerator } from '../../../../firmware/media/tones/tone-generator.ts';
import { patternPeriodMs } from '../../../../firmware/media/tones/tone-pattern.ts';
import { sineAmplitudeForDbm0 } from '../../../../firmware/media/tones/dbm0.ts';
import { goertzelAmplitude } from '../../../../firmware/media/dtmf/goertzel.ts';
import { componentLevelDbm0, maxStep } from '../../../support/audio/signal-measurements.ts';

for (const name of RING_TONE_NAMES) {
  test(`ring tone ${name}: generated at 8/16/48 kHz, repeats with its period, no clicks`, () => {
    const pattern = ringTone(name);
    const periodMs = patternPeriodMs(pattern);
    const highestHz = Math.max(...pattern.steps.flatMap((s) => s.components.map((c) => c.frequencyHz)));
    const amplitude = Math.max(...pattern.steps.flatMap((s) => s.components.map((c) => sineAmplitudeForDbm0(c.levelDbm0))));
    for (const sampleRateHz of [8000, 16000, 48000]) {
      const periodSamples = Math.round((periodMs * sampleRateHz) / 1000);
      const samples = new ToneGenerator({ sampleRateHz, pattern }).render(2 * periodSamples);
      const bound = amplitude * ((2 * Math.PI * highestHz) / sampleRateHz + Math.PI / (2 * ((4 * sampleRateHz) / 1000))) + 1;
      assert.ok(maxStep(samples) <= bound, `${sampleRateHz} Hz: step ${maxStep(samples)} > ${bound}`);
      // Same energy in each period: the pattern repeats.
      const energy = (from: number) => samples.subarray(from, from + periodSamples).reduce((sum, v) => sum + v * v, 0);
      const ratio = energy(periodSamples) / energy(0);
      assert.ok(Math.abs(ratio - 1) < 0.01, `${sampleRateHz} Hz: period energy ratio ${ratio}`);
    }
  });
}

test('ring tone warble: 25 ms of 800 Hz, 25 ms of 1000 Hz, in turn, each at -6 dBm0', () => {
  const samples = new ToneGenerator({ sampleRateHz: 8000, pattern: ringTone('warble') }).render(8000);
  for (let half = 1; half < 39; half++) {
    const [onHz, offHz] = half % 2 === 0 ? [800, 1000] : [1000, 800];
    const window = { sampleRateHz: 8000, start: half * 200 + 16, length: 168 };
    const level = componentLevelDbm0(samples, { frequencyHz: onHz, ...window });
    assert.ok(Math.abs(level - -6) < 0.5, `half-period ${half}: ${onHz} Hz at ${level.toFixed(2)} dBm0`);
    assert.ok(componentLevelDbm0(samples, { frequencyHz: offHz, ...window }) < level - 12, `half-period ${half}: ${offHz} Hz absent`);
  }
});

test('ring tone chime: E5 C5 D5 G4 in that order', () => {
  const samples = new ToneGenerator({ sampleRateHz: 16000, pattern: ringTone('chime') }).render(16000 * 2);
  const notesHz = [659.26, 523.25, 587.33, 392.0];
  notesHz.forEach((expectedHz, index) => {
    const start = Math.round(index * 400 * 16 + 50 * 16);
    const strongest = notesHz.reduce((best, f) =>
      goertzelAmplitude(samples, { frequencyHz: f, sampleRateHz: 16000, start, length: 4000 }) >
      goertzelAmplitude(samples, { frequencyHz: best, sampleRateHz: 16000, start, length: 4000 })
        ? f
        : best,
    );
    assert.equal(strongest, expectedHz, `note ${index}`);
  });
});

test('key click: 8 ms at 2 + 3 kHz, starts and ends at zero, then the generator is done', () => {
  for (const sampleRateHz of [8000, 48000]) {
    const generator = new ToneGenerator({ sampleRateHz, pattern: keyClick(-16) });
    const samples = generator.render(sampleRateHz / 50);
    assert.equal(generator.done, true);
    const clickSamples = (8 * sampleRateHz) / 1000;
    assert.ok(samples.subarray(clickSamples).every((v) => v === 0));
    assert.ok(Math.abs(samples[0] ?? 1) <= 1 && Math.abs(samples[clickSamples - 1] ?? 1) <= 200);
    for (const frequencyHz of [2000, 3000]) {
      assert.ok(goertzelAmplitude(samples, { frequencyHz, sampleRateHz, length: clickSamples }) > sineAmplitudeForDbm0(-16) / 4);
    }
  }
});
