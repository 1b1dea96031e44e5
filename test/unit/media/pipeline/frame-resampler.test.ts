import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goertzelAmplitude } from '../../../../firmware/media/dtmf/goertzel.ts';
import { FrameResampler } from '../../../../firmware/media/pipeline/frame-resampler.ts';

function sineFrames(rateHz: number, frequencyHz: number, amplitude: number, frameSamples: number, frames: number): Int16Array[] {
  return Array.from({ length: frames }, (_, f) => Int16Array.from({ length: frameSamples }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * frequencyHz * (f * frameSamples + i)) / rateHz))));
}

function concat(frames: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
  let offset = 0;
  for (const frame of frames) {
    out.set(frame, offset);
    offset += frame.length;
  }
  return out;
}

const pairs = [
  [8000, 16000],
  [16000, 8000],
  [16000, 48000],
  [48000, 16000],
  [8000, 48000],
  [48000, 8000],
] as const;

for (const [inputRateHz, outputRateHz] of pairs) {
  test(`${inputRateHz} → ${outputRateHz} Hz: exact frame sizes, 1 kHz within 0.5 dB; on reduction, a tone above the new band does not alias`, () => {
    const resampler = new FrameResampler({ inputRateHz, outputRateHz });
    const inFrame = inputRateHz / 50;
    const outFrame = outputRateHz / 50;
    const out = sineFrames(inputRateHz, 1000, 10000, inFrame, 100).map((frame) => resampler.process(frame));
    assert.ok(out.every((frame) => frame.length === outFrame));
    const tail = concat(out).subarray(outputRateHz / 2);
    const levelDb = 20 * Math.log10(goertzelAmplitude(tail, { frequencyHz: 1000, sampleRateHz: outputRateHz }) / 10000);
    assert.ok(Math.abs(levelDb) <= 0.5, `1 kHz at ${levelDb.toFixed(2)} dB`);
    // A tone the lower rate cannot carry (above 0.45 × its rate) must not come through as an alias.
    const low = Math.min(inputRateHz, outputRateHz);
    if (inputRateHz > outputRateHz) {
      const toneHz = low * 0.75; // aliases to 0.25 × low
      const aliased = new FrameResampler({ inputRateHz, outputRateHz });
      const result = concat(sineFrames(inputRateHz, toneHz, 10000, inFrame, 50).map((frame) => aliased.process(frame))).subarray(outputRateHz / 2);
      const aliasDb = 20 * Math.log10(Math.max(1e-9, goertzelAmplitude(result, { frequencyHz: low * 0.25, sampleRateHz: outputRateHz })) / 10000);
      assert.ok(aliasDb < -40, `alias at ${aliasDb.toFixed(1)} dB`);
    }
  });
}

test('equal rates pass frames through untouched', () => {
  const resampler = new FrameResampler({ inputRateHz: 8000, outputRateHz: 8000 });
  const frame = Int16Array.from({ length: 160 }, (_, i) => i * 7);
  assert.equal(resampler.process(frame), frame);
  assert.equal(resampler.converts, false);
});
