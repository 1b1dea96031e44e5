import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTimerConfig, DEFAULT_TIMER_CONFIG, transactionTimerValues } from '../../../../firmware/sip/transaction/timer-config.ts';

test('RFC 3261 Table 4: defaults T1 = 500 ms, T2 = 4 s, T4 = 5 s', () => {
  assert.equal(DEFAULT_TIMER_CONFIG.t1Ms, 500);
  assert.equal(DEFAULT_TIMER_CONFIG.t2Ms, 4_000);
  assert.equal(DEFAULT_TIMER_CONFIG.t4Ms, 5_000);
});

test('RFC 3261 Table 4: unreliable-transport timers derive from T1 and T4', () => {
  const values = transactionTimerValues(DEFAULT_TIMER_CONFIG, false);
  assert.deepEqual(
    {
      a: values.timerAMs, b: values.timerBMs, d: values.timerDMs, e: values.timerEMs, f: values.timerFMs,
      g: values.timerGMs, h: values.timerHMs, i: values.timerIMs, j: values.timerJMs, k: values.timerKMs,
      l: values.timerLMs, m: values.timerMMs,
    },
    { a: 500, b: 32_000, d: 32_000, e: 500, f: 32_000, g: 500, h: 32_000, i: 5_000, j: 32_000, k: 5_000, l: 32_000, m: 32_000 },
  );
});

test('RFC 3261 Table 4: reliable transports have no A/E/G retransmission and D = I = J = K = 0', () => {
  const values = transactionTimerValues(DEFAULT_TIMER_CONFIG, true);
  assert.deepEqual(
    [values.timerAMs, values.timerEMs, values.timerGMs, values.timerDMs, values.timerIMs, values.timerJMs, values.timerKMs],
    [0, 0, 0, 0, 0, 0, 0],
  );
  // B, F, H, L, M stay 64*T1 on every transport.
  assert.deepEqual([values.timerBMs, values.timerFMs, values.timerHMs, values.timerLMs, values.timerMMs], [32_000, 32_000, 32_000, 32_000, 32_000]);
});

test('custom T1/T2/T4 flow into every derived timer', () => {
  const config = createTimerConfig({ t1Ms: 100, t2Ms: 800, t4Ms: 1_000 });
  const values = transactionTimerValues(config, false);
  assert.equal(values.timerAMs, 100);
  assert.equal(values.timerBMs, 6_400);
  assert.equal(values.timerFMs, 6_400);
  assert.equal(values.timerHMs, 6_400);
  assert.equal(values.timerJMs, 6_400);
  assert.equal(values.timerIMs, 1_000);
  assert.equal(values.timerKMs, 1_000);
  assert.equal(values.t2Ms, 800);
  // RFC 3261 §17.1.1.2: Timer D is "at least 32 seconds" on unreliable transports...
  assert.equal(values.timerDMs, 32_000);
  // ...and covers 64*T1 when a large T1 makes that longer.
  assert.equal(transactionTimerValues(createTimerConfig({ t1Ms: 1_000 }), false).timerDMs, 64_000);
});

test('createTimerConfig rejects non-positive and non-finite values', () => {
  assert.throws(() => createTimerConfig({ t1Ms: 0 }), RangeError);
  assert.throws(() => createTimerConfig({ t2Ms: -1 }), RangeError);
  assert.throws(() => createTimerConfig({ t4Ms: Number.NaN }), RangeError);
  assert.equal(createTimerConfig({}).t1Ms, 500);
});
