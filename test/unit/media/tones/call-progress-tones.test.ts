import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CALL_PROGRESS_TONE_KINDS,
  TONE_COUNTRIES,
  callProgressTone,
  type CallProgressToneKind,
  type ToneCountry,
} from '../../../../firmware/media/tones/call-progress-tones.ts';
import { ToneGenerator } from '../../../../firmware/media/tones/tone-generator.ts';
import { patternPeriodMs, type TonePattern } from '../../../../firmware/media/tones/tone-pattern.ts';
import { measureLevelDbm0, sineAmplitudeForDbm0 } from '../../../../firmware/media/tones/dbm0.ts';
import { goertzelAmplitude } from '../../../../firmware/media/dtmf/goertzel.ts';
import { componentLevelDbm0, maxStep } from '../../../support/audio/signal-measurements.ts';
import { onOffSegments } from '../../../support/audio/on-off-segments.ts';
import { renderFrames } from '../../../support/audio/render-frames.ts';

const RAMP_MS = 4;
const RATES_HZ = [8000, 16000, 48000] as const;

function render(pattern: TonePattern, sampleRateHz: number, durationMs: number): Int16Array {
  const generator = new ToneGenerator({ sampleRateHz, pattern, rampMs: RAMP_MS });
  return renderFrames((n) => generator.render(n), sampleRateHz, durationMs);
}

function frequenciesOf(pattern: TonePattern): number[] {
  return pattern.steps.find((s) => s.components.length > 0)?.components.map((c) => c.frequencyHz) ?? [];
}

/** A centred window in the first "on" step, clear of the ramps. */
function steadyWindow(pattern: TonePattern, sampleRateHz: number): { start: number; length: number } {
  const onMs = Math.min(pattern.steps[0]?.durationMs ?? 0, 400);
  const lengthMs = onMs - 2 * RAMP_MS - 10;
  return { start: Math.round(((onMs - lengthMs) / 2) * (sampleRateHz / 1000)), length: Math.round(lengthMs * (sampleRateHz / 1000)) };
}

// Spot values straight from the plans, so a wrong table entry fails by name.
const EXPECTED: Record<string, { frequenciesHz: number[]; cadenceMs: number[] }> = {
  'uk/ringback': { frequenciesHz: [400, 450], cadenceMs: [400, 200, 400, 2000] },
  'uk/dial': { frequenciesHz: [350, 450], cadenceMs: [] },
  'uk/congestion': { frequenciesHz: [400], cadenceMs: [400, 350, 225, 525] },
  'us/dial': { frequenciesHz: [350, 440], cadenceMs: [] },
  'us/ringback': { frequenciesHz: [440, 480], cadenceMs: [2000, 4000] },
  'us/busy': { frequenciesHz: [480, 620], cadenceMs: [500, 500] },
  'us/congestion': { frequenciesHz: [480, 620], cadenceMs: [250, 250] },
  'de/busy': { frequenciesHz: [425], cadenceMs: [480, 480] },
  'de/ringback': { frequenciesHz: [425], cadenceMs: [1000, 4000] },
  'fr/ringback': { frequenciesHz: [440], cadenceMs: [1500, 3500] },
  'default/dial': { frequenciesHz: [425], cadenceMs: [] },
  'default/busy': { frequenciesHz: [425], cadenceMs: [500, 500] },
};

test('ITU-T E.180 Suppl. 2: the plans hold the national frequencies and cadences', () => {
  for (const [key, expected] of Object.entries(EXPECTED)) {
    const [country, kind] = key.split('/') as [ToneCountry, CallProgressToneKind];
    const pattern = callProgressTone(country, kind);
    assert.deepEqual(frequenciesOf(pattern), expected.frequenciesHz, key);
    const cadence = expected.cadenceMs.length === 0 ? [Infinity] : expected.cadenceMs;
    assert.deepEqual(pattern.steps.map((s) => s.durationMs), cadence, key);
  }
});

for (const country of TONE_COUNTRIES) {
  for (const kind of CALL_PROGRESS_TONE_KINDS) {
    const pattern = callProgressTone(country, kind);
    const frequenciesHz = frequenciesOf(pattern);
    const levelDbm0 = pattern.steps[0]?.components[0]?.levelDbm0 ?? NaN;

    test(`ITU-T E.180 §3: ${country}/${kind} has ${frequenciesHz.join('+')} Hz at ${levelDbm0} dBm0 each (±0.5 dB) and nothing beside`, () => {
      for (const sampleRateHz of RATES_HZ) {
        const samples = render(pattern, sampleRateHz, 500);
        const window = steadyWindow(pattern, sampleRateHz);
        for (const frequencyHz of frequenciesHz) {
          const measured = componentLevelDbm0(samples, { frequencyHz, sampleRateHz, ...window });
          assert.ok(Math.abs(measured - levelDbm0) <= 0.5, `${sampleRateHz} Hz: ${frequencyHz} Hz at ${measured.toFixed(2)} dBm0`);
        }
        // Total power equals the sum of the components: no other content.
        const expectedTotal = 10 * Math.log10(frequenciesHz.length * 10 ** (levelDbm0 / 10));
        const total = measureLevelDbm0(samples, window.start, window.start + window.length);
        assert.ok(Math.abs(total - expectedTotal) <= 0.5, `${sampleRateHz} Hz: total ${total.toFixed(2)} dBm0`);
        for (const absentHz of [frequenciesHz[0]! - 100, Math.max(...frequenciesHz) + 100, 1000]) {
          const stray = goertzelAmplitude(samples, { frequencyHz: absentHz, sampleRateHz, ...window });
          assert.ok(stray < sineAmplitudeForDbm0(levelDbm0) / 10, `${sampleRateHz} Hz: ${absentHz} Hz present`);
        }
      }
    });

    test(`ITU-T E.180 §2: ${country}/${kind} cadence measured from the envelope, no clicks at the edges`, () => {
      const periodMs = patternPeriodMs(pattern);
      // Two beat periods cancel the other half of a dual tone, even while the window straddles an edge.
      const windowMs = frequenciesHz.length === 2 ? 2000 / Math.abs(frequenciesHz[1]! - frequenciesHz[0]!) : 5;
      for (const sampleRateHz of RATES_HZ) {
        const samples = render(pattern, sampleRateHz, periodMs === Infinity ? 2000 : 2 * periodMs + 100);
        // 50 ms of silence around, so the measuring window sees the first and last edges whole.
        const leadSamples = (50 * sampleRateHz) / 1000;
        const padded = new Int16Array(2 * leadSamples + samples.length);
        padded.set(samples, leadSamples);
        const all = onOffSegments(padded, { sampleRateHz, frequencyHz: frequenciesHz[0]!, windowMs });
        // The first step fades in too: the tone starts half a ramp after the silence.
        assert.ok(all[0]?.on === false && Math.abs(all[0].durationMs - 50 - RAMP_MS / 2) <= 1, `${sampleRateHz} Hz lead-in ${JSON.stringify(all[0])}`);
        const segments = all.slice(1);
        if (periodMs === Infinity) {
          assert.deepEqual(segments.map((s) => s.on), [true, false], 'continuous until the render stops');
        } else {
          // Two whole periods: on/off runs follow the cadence; each "on" is one ramp shorter between half-amplitude points.
          const cadence = pattern.steps.map((s) => ({ on: s.components.length > 0, durationMs: s.durationMs }));
          const expected = [...cadence, ...cadence];
          for (let i = 0; i < expected.length - 1; i++) {
            const seen = segments[i];
            const want = expected[i]!;
            assert.ok(seen !== undefined, `segment ${i}`);
            assert.equal(seen.on, want.on, `segment ${i}`);
            const nominal = want.durationMs + (want.on ? -RAMP_MS : RAMP_MS);
            assert.ok(Math.abs(seen.durationMs - nominal) <= 1.5, `${sampleRateHz} Hz segment ${i}: ${seen.durationMs} ms, want ${nominal}`);
          }
        }
        // The steepest a click-free signal can be: the tones' own slopes plus the ramp's.
        const bound = frequenciesHz.reduce(
          (sum, f) => sum + sineAmplitudeForDbm0(levelDbm0) * ((2 * Math.PI * f) / sampleRateHz + Math.PI / (2 * (RAMP_MS * sampleRateHz) / 1000)),
          1,
        );
        assert.ok(maxStep(samples) <= bound, `${sampleRateHz} Hz: step ${maxStep(samples)} > ${bound.toFixed(0)}`);
      }
    });
  }
}

test('ITU-T E.180: a continuous dial tone peaks at its nominal frequency (Goertzel scan, 1 Hz steps)', () => {
  for (const country of ['default', 'de', 'fr'] as const) {
    const samples = render(callProgressTone(country, 'dial'), 8000, 1000);
    let bestHz = 0;
    let best = 0;
    for (let f = 380; f <= 470; f++) {
      const a = goertzelAmplitude(samples, { frequencyHz: f, sampleRateHz: 8000, start: 800, length: 6400 });
      if (a > best) [best, bestHz] = [a, f];
    }
    assert.equal(bestHz, country === 'fr' ? 440 : 425, country);
  }
});
