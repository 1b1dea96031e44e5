import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArrivalDelayEstimator } from '../../../../firmware/media/jitter/arrival-delay-estimator.ts';
import { SeededRandom } from '../../../support/seeded-random.ts';

const PACKET_MS = 20;

function feed(estimator: ArrivalDelayEstimator, fromPacket: number, count: number, delayMs: (i: number) => number): void {
  for (let i = fromPacket; i < fromPacket + count; i++) estimator.update(i * PACKET_MS + delayMs(i), i * PACKET_MS);
}

test('constant network delay gives a relative-delay quantile of one bucket', () => {
  const estimator = new ArrivalDelayEstimator();
  feed(estimator, 0, 500, () => 47);
  assert.equal(estimator.quantileMs(), 1);
  assert.ok(estimator.meanMs() < 1);
});

test('the 95th percentile of Gaussian jitter measured against the fastest packet of the last 2 s', () => {
  const estimator = new ArrivalDelayEstimator();
  const random = new SeededRandom(3);
  const sigmaMs = 10;
  feed(estimator, 0, 3000, () => 100 + sigmaMs * random.normal());
  // The fastest of ~100 packets sits ≈ 2.5σ below the mean, the 95th percentile 1.645σ above it:
  // ≈ 4.1σ relative delay. Allow for the sampling spread of the window minimum.
  const quantile = estimator.quantileMs();
  assert.ok(quantile > 3.2 * sigmaMs && quantile < 5 * sigmaMs, `quantile ${quantile}`);
});

test('the quantile rises within a few packets of a jitter increase and falls back only slowly', () => {
  const estimator = new ArrivalDelayEstimator();
  feed(estimator, 0, 1000, () => 50);
  const random = new SeededRandom(9);
  // Every other packet suddenly 60 ms slower.
  let packetsToRise = 0;
  for (let i = 1000; estimator.quantileMs() < 50; i++) {
    estimator.update(i * PACKET_MS + 50 + (i % 2 === 0 ? 60 : 0) + random.next(), i * PACKET_MS);
    packetsToRise++;
  }
  assert.ok(packetsToRise <= 20, `rose after ${packetsToRise} packets`);
  feed(estimator, 1000 + packetsToRise, 200, (i) => 50 + (i % 2 === 0 ? 60 : 0));
  // Calm again: the quantile stays up for a while, then decays.
  let packetsToFall = 0;
  for (let i = 1200 + packetsToRise; estimator.quantileMs() > 10; i++) {
    estimator.update(i * PACKET_MS + 50, i * PACKET_MS);
    packetsToFall++;
  }
  assert.ok(packetsToFall > 5 * packetsToRise, `fell after ${packetsToFall} packets, rose after ${packetsToRise}`);
  assert.ok(packetsToFall < 1000, `fell after ${packetsToFall} packets`);
});

test('slow transit drift (sender clock 0.3 % slow) inflates relative delay by at most the drift over the window', () => {
  const estimator = new ArrivalDelayEstimator();
  // Transit grows 0.3 % of elapsed time: 6 ms over the 2 s reference window.
  feed(estimator, 0, 5000, (i) => 40 + i * PACKET_MS * 0.003);
  const quantile = estimator.quantileMs();
  assert.ok(quantile <= 7, `quantile ${quantile}`);
});
