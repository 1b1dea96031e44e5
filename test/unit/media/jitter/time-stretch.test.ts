import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timeStretch } from '../../../../firmware/media/jitter/time-stretch.ts';
import { maxStep } from '../../../support/audio/signal-measurements.ts';
import { SeededRandom } from '../../../support/seeded-random.ts';
import { speechLikeSignal } from '../../../support/audio/speech-and-music.ts';

const FS = 8000;

function block(length: number, signal: (n: number) => number, start = 0): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = signal(start + i);
  return out;
}

/** Step across the joins: previous sample → block start, block end → next sample. */
function joinedMaxStep(previous: number, output: Float32Array, next: number): number {
  const joined = [previous, ...output, next];
  return maxStep(joined);
}

const sine = (frequencyHz: number, amplitude: number) => (n: number) => amplitude * Math.sin((2 * Math.PI * frequencyHz * n) / FS);

test('accelerate drops whole pitch periods of a 200 Hz tone without a step larger than the tone’s own', () => {
  const tone = sine(200, 10000);
  const input = block(240, tone, 100);
  const result = timeStretch(input, { direction: 'accelerate', sampleRateHz: FS, maxQuietChangeSamples: 160 });
  assert.ok(result);
  assert.equal(result.changedSamples % 40, 0, `removed ${result.changedSamples} samples; period is 40`);
  assert.equal(result.output.length, 240 - result.changedSamples);
  const ownStep = maxStep(block(2000, tone));
  assert.ok(joinedMaxStep(tone(99), result.output, tone(340)) <= ownStep * 1.01);
});

test('expand repeats a pitch period of speech-like audio; the output joins the samples before and after', () => {
  const speech = speechLikeSignal({ amplitude: 8000, sampleRateHz: FS });
  const ownStep = maxStep(block(16000, speech));
  for (const start of [0, 1234, 5678, 9999]) {
    const input = block(240, speech, start);
    const result = timeStretch(input, { direction: 'expand', sampleRateHz: FS, maxQuietChangeSamples: 160 });
    assert.ok(result, `start ${start}`);
    assert.ok(result.changedSamples >= 20 && result.changedSamples <= 120);
    assert.equal(result.output.length, 240 + result.changedSamples);
    const step = joinedMaxStep(speech(start - 1), result.output, speech(start + 240));
    assert.ok(step <= ownStep * 1.1, `step ${step} vs own ${ownStep}`);
  }
});

test('quiet blocks are shortened or lengthened by up to a frame (frame-level drop/insert)', () => {
  const random = new SeededRandom(1);
  const hiss = block(320, () => 30 * random.normal());
  const shorter = timeStretch(hiss, { direction: 'accelerate', sampleRateHz: FS, maxQuietChangeSamples: 160 });
  const longer = timeStretch(hiss, { direction: 'expand', sampleRateHz: FS, maxQuietChangeSamples: 160 });
  assert.equal(shorter?.changedSamples, 160);
  assert.equal(shorter?.output.length, 160);
  assert.equal(longer?.output.length, 480);
});

test('loud aperiodic audio (noise) is left alone rather than stretched with a seam', () => {
  const random = new SeededRandom(2);
  const noise = block(240, () => 5000 * random.normal());
  assert.equal(timeStretch(noise, { direction: 'accelerate', sampleRateHz: FS, maxQuietChangeSamples: 160 }), undefined);
});

test('a block shorter than two maximal pitch periods is not stretched', () => {
  const input = block(200, sine(200, 10000));
  assert.equal(timeStretch(input, { direction: 'accelerate', sampleRateHz: FS, maxQuietChangeSamples: 160 }), undefined);
});
