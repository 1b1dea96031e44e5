import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LossConcealer } from '../../../../firmware/media/jitter/loss-concealer.ts';
import { maxStep, rms } from '../../../support/audio/signal-measurements.ts';
import { speechLikeSignal } from '../../../support/audio/speech-and-music.ts';

const FS = 8000;

function history(length: number, signal: (n: number) => number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = signal(i);
  return out;
}

test('concealing a sine continues it: close to the true continuation, no step at the join', () => {
  const signal = (n: number) => 8000 * Math.sin((2 * Math.PI * 440 * n) / FS);
  const concealer = new LossConcealer({ sampleRateHz: FS });
  const past = history(concealer.historySamples, signal);
  concealer.begin(past);
  const concealed = concealer.next(160); // the first 20 ms are at full level
  let errorEnergy = 0;
  for (let i = 0; i < 160; i++) errorEnergy += (concealed[i]! - signal(past.length + i)) ** 2;
  const relativeError = Math.sqrt(errorEnergy / 160) / rms(concealed);
  assert.ok(relativeError < 0.1, `relative error ${relativeError}`);
  const ownStep = maxStep(history(800, signal));
  assert.ok(maxStep([...past.slice(-10), ...concealed]) <= ownStep * 1.1);
});

test('concealment fades to silence after fade start + fade length, smoothly', () => {
  const speech = speechLikeSignal({ amplitude: 8000, sampleRateHz: FS });
  const concealer = new LossConcealer({ sampleRateHz: FS, fadeStartMs: 20, fadeLengthMs: 60 });
  const past = history(concealer.historySamples + 500, speech);
  concealer.begin(past);
  const first = concealer.next(160);
  const fading = concealer.next(480);
  assert.equal(concealer.faded, true);
  const after = concealer.next(160);
  assert.ok(rms(first) > 1000);
  assert.equal(rms(after), 0);
  assert.ok(rms(fading, 400, 480) < rms(fading, 0, 80) / 4, 'level falls during the fade');
  const ownStep = maxStep(history(16000, speech));
  assert.ok(maxStep([...past.slice(-10), ...first, ...fading, ...after]) <= ownStep * 1.2);
});

test('without enough history the concealer produces silence rather than failing', () => {
  const concealer = new LossConcealer({ sampleRateHz: FS });
  concealer.begin(new Float32Array(10));
  assert.equal(rms(concealer.next(80)), 0);
});
