import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ComfortNoiseGenerator } from '../../../../firmware/media/jitter/comfort-noise-generator.ts';
import { parseComfortNoisePayload } from '../../../../firmware/media/jitter/comfort-noise-payload.ts';
import { rmsDbov } from '../../../support/audio/signal-measurements.ts';

test('RFC 3389 payload: level byte in −dBov (top bit ignored), reflection coefficients (q − 127) / 128', () => {
  assert.deepEqual(parseComfortNoisePayload(Uint8Array.of(0x80 | 40)), { levelDbov: -40, reflectionCoefficients: [] });
  const parsed = parseComfortNoisePayload(Uint8Array.of(60, 127, 191, 63));
  assert.equal(parsed?.levelDbov, -60);
  assert.deepEqual(parsed?.reflectionCoefficients, [0, 0.5, -0.5]);
  assert.equal(parseComfortNoisePayload(new Uint8Array(0)), undefined);
});

test('white comfort noise comes out at the requested level ± 3 dB for −30, −50 and −70 dBov', () => {
  for (const levelDbov of [-30, -50, -70]) {
    const generator = new ComfortNoiseGenerator({ sampleRateHz: 8000, seed: 5 });
    generator.update({ levelDbov, reflectionCoefficients: [] });
    const measured = rmsDbov(generator.generate(8000));
    assert.ok(Math.abs(measured - levelDbov) < 3, `${levelDbov} dBov requested, ${measured.toFixed(2)} measured`);
  }
});

test('spectrally shaped comfort noise keeps the requested level ± 3 dB', () => {
  const generator = new ComfortNoiseGenerator({ sampleRateHz: 16000, seed: 11 });
  generator.update({ levelDbov: -45, reflectionCoefficients: [0.7, -0.4, 0.2, 0.1] });
  const measured = rmsDbov(generator.generate(32000));
  assert.ok(Math.abs(measured + 45) < 3, `measured ${measured.toFixed(2)} dBov`);
});

test('a level change glides instead of stepping', () => {
  const generator = new ComfortNoiseGenerator({ sampleRateHz: 8000, seed: 5, rampMs: 20 });
  generator.update({ levelDbov: -60, reflectionCoefficients: [] });
  generator.generate(800);
  generator.update({ levelDbov: -30, reflectionCoefficients: [] });
  const ramp = generator.generate(800);
  assert.ok(rmsDbov(ramp, 0, 40) < -40, 'first 5 ms still near the old level');
  assert.ok(Math.abs(rmsDbov(ramp, 400, 800) + 30) < 3, 'new level after the ramp');
});
