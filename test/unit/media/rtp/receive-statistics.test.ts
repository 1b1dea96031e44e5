import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiveStatistics } from '../../../../firmware/media/rtp/receive-statistics.ts';

function feed(stats: ReceiveStatistics, packets: readonly (readonly [sequenceNumber: number, timestamp: number, arrivalTimeMs: number])[]): void {
  for (const [sequenceNumber, timestamp, arrivalTimeMs] of packets) stats.onPacket({ sequenceNumber, timestamp, arrivalTimeMs, payloadBytes: 160 });
}

// Hand computation (RFC 3550 A.8, J += (|D| - J) / 16), 8 kHz, 160 units per packet:
//   arrivals 0, 20, 45, 60, 80, 110 ms = 0, 160, 360, 480, 640, 880 units; timestamps 0..800 step 160.
//   packet 0 is on probation (A.1), packet 1 starts the transit history.
//   p2: D = 200 - 160 = 40   J = 2.5
//   p3: D = 120 - 160 = -40  J = 2.5 + 37.5/16 = 4.84375
//   p4: D = 160 - 160 = 0    J = 4.84375 * 15/16 = 4.541015625
//   p5: D = 240 - 160 = 80   J = 4.541015625 + 75.458984375/16 = 9.2572021484375
const EXPECTED_JITTER_UNITS = 9.2572021484375;
const ARRIVALS_MS = [0, 20, 45, 60, 80, 110];

test('RFC 3550 §6.4.1/A.8: interarrival jitter on a synthetic arrival trace matches the hand-computed value', () => {
  const stats = new ReceiveStatistics({ ssrc: 1, clockRateHz: 8000 });
  feed(stats, ARRIVALS_MS.map((arrival, i) => [100 + i, 1000 + 160 * i, arrival] as const));
  const snapshot = stats.snapshot();
  assert.equal(snapshot.jitterUnits, EXPECTED_JITTER_UNITS);
  assert.equal(snapshot.jitterMs, EXPECTED_JITTER_UNITS / 8);
  assert.equal(stats.takeInterval().jitter, 9);
});

test('RFC 3550 A.8: the same trace across the 2^32 timestamp wrap gives the same jitter', () => {
  const stats = new ReceiveStatistics({ ssrc: 1, clockRateHz: 8000 });
  const start = 0x1_0000_0000 - 320;
  feed(stats, ARRIVALS_MS.map((arrival, i) => [65533 + i > 65535 ? 65533 + i - 65536 : 65533 + i, (start + 160 * i) % 0x1_0000_0000, arrival] as const));
  assert.equal(stats.snapshot().jitterUnits, EXPECTED_JITTER_UNITS);
});

test('RFC 3550 A.8: perfectly paced packets have zero jitter', () => {
  const stats = new ReceiveStatistics({ ssrc: 1, clockRateHz: 8000 });
  feed(stats, Array.from({ length: 50 }, (_, i) => [i, 160 * i, 5 + 20 * i] as const));
  assert.equal(stats.snapshot().jitterUnits, 0);
});

test('RFC 3550 A.3: fraction lost per interval and cumulative lost, including the duplicate case', () => {
  const stats = new ReceiveStatistics({ ssrc: 0x55667788, clockRateHz: 8000 });
  let t = 0;
  const receive = (seq: number): void => void stats.onPacket({ sequenceNumber: seq, timestamp: seq * 160, arrivalTimeMs: (t += 20), payloadBytes: 160 });
  // 1000 is the probation packet; counting starts at 1001 (A.1 init_seq). 1005 and 1006 lost.
  for (let seq = 1000; seq <= 1019; seq++) if (seq !== 1005 && seq !== 1006) receive(seq);
  const first = stats.takeInterval();
  // expected 19 (1001..1019), received 17: lost 2, fraction floor(2 * 256 / 19) = 26.
  assert.equal(first.cumulativeLost, 2);
  assert.equal(first.fractionLost, 26);
  assert.equal(first.extendedHighestSequence, 1019);
  assert.equal(first.ssrc, 0x55667788);
  assert.equal(stats.snapshot().lossPercent, (2 * 100) / 19);

  for (let seq = 1020; seq <= 1039; seq++) receive(seq);
  const second = stats.takeInterval();
  assert.equal(second.fractionLost, 0);
  assert.equal(second.cumulativeLost, 2);

  // A duplicate: received exceeds expected in the interval; fraction clamps to 0, cumulative goes down.
  receive(1039);
  receive(1040);
  const third = stats.takeInterval();
  assert.equal(third.fractionLost, 0);
  assert.equal(third.cumulativeLost, 1);

  // Half of the next interval lost: 1041..1050 expected (10), 5 received → 128.
  for (const seq of [1041, 1043, 1045, 1047, 1050]) receive(seq);
  assert.equal(stats.takeInterval().fractionLost, 128);
});

test('RFC 3550 A.3: no packets since the last report → fraction 0, counters unchanged', () => {
  const stats = new ReceiveStatistics({ ssrc: 1, clockRateHz: 8000 });
  feed(stats, [[1, 0, 0], [2, 160, 20], [4, 480, 60]]);
  const first = stats.takeInterval();
  assert.equal(first.cumulativeLost, 1);
  const second = stats.takeInterval();
  assert.equal(second.fractionLost, 0);
  assert.equal(second.cumulativeLost, 1);
});

test('packet and octet counters include every datagram of the source; snapshot reports the last arrival', () => {
  const stats = new ReceiveStatistics({ ssrc: 1, clockRateHz: 8000 });
  feed(stats, [[1, 0, 10], [2, 160, 30]]);
  const snapshot = stats.snapshot();
  assert.equal(snapshot.packetsReceived, 2);
  assert.equal(snapshot.octetsReceived, 320);
  assert.equal(snapshot.lastArrivalTimeMs, 30);
  assert.equal(snapshot.validated, true);
});

test('RFC 3550 A.1 + A.3: a sender restart re-bases the loss accounting instead of reporting thousands lost', () => {
  const stats = new ReceiveStatistics({ ssrc: 1, clockRateHz: 8000 });
  feed(stats, Array.from({ length: 10 }, (_, i) => [100 + i, 160 * i, 20 * i] as const));
  stats.takeInterval();
  assert.equal(stats.onPacket({ sequenceNumber: 30000, timestamp: 5, arrivalTimeMs: 300, payloadBytes: 1 }), 'bad-jump');
  assert.equal(stats.onPacket({ sequenceNumber: 30001, timestamp: 165, arrivalTimeMs: 320, payloadBytes: 1 }), 'restarted');
  const interval = stats.takeInterval();
  assert.equal(interval.cumulativeLost, 0);
  assert.equal(interval.fractionLost, 0);
  assert.equal(interval.extendedHighestSequence, 30001);
});
