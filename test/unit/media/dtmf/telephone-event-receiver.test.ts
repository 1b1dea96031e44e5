import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TelephoneEventReceiver, type TelephoneEventNotice } from '../../../../firmware/media/dtmf/telephone-event-receiver.ts';
import { TelephoneEventSender, type OutgoingTelephoneEvent } from '../../../../firmware/media/dtmf/telephone-event-sender.ts';
import { encodeTelephoneEvent } from '../../../../firmware/media/dtmf/telephone-event-payload.ts';
import { SeededRandom } from '../../../support/seeded-random.ts';

function packet(timestamp: number, event: number, durationUnits: number, end: boolean, marker = false) {
  return { timestamp, marker, payload: encodeTelephoneEvent({ event, end, volume: 10, durationUnits }) };
}

function summary(notices: readonly TelephoneEventNotice[]): string[] {
  return notices.map((n) => (n.kind === 'begin' ? `begin ${n.digit} ts=${n.timestamp}` : `end ${n.digit} ${n.durationMs}ms by ${n.endedBy}`));
}

/** All packets of a sequence of presses, as the sender produces them. */
function sent(presses: readonly { digit: '1' | '2' | '3' | '5' | '#'; atMs: number; durationMs: number }[]): OutgoingTelephoneEvent[] {
  const sender = new TelephoneEventSender({ payloadType: 101 });
  const out: OutgoingTelephoneEvent[] = [];
  let next = 0;
  for (let t = 0; t <= 5000; t += 10) {
    const press = presses[next];
    if (press !== undefined && press.atMs === t) {
      sender.start({ event: press.digit, nowMs: t, rtpTimestamp: t * 8, durationMs: press.durationMs });
      next++;
    }
    out.push(...sender.tick(t));
  }
  return out;
}

function deliver(receiver: TelephoneEventReceiver, packets: readonly { p: OutgoingTelephoneEvent; atMs: number }[], untilMs: number): TelephoneEventNotice[] {
  const notices: TelephoneEventNotice[] = [];
  const sorted = [...packets].sort((a, b) => a.atMs - b.atMs);
  let i = 0;
  for (let t = 0; t <= untilMs; t += 10) {
    while (i < sorted.length && (sorted[i]?.atMs ?? Infinity) <= t) {
      const item = sorted[i++];
      if (item !== undefined) notices.push(...receiver.receive(item.p, item.atMs));
    }
    notices.push(...receiver.tick(t));
  }
  return notices;
}

test('RFC 4733 §2.5.2.2: a whole event surfaces once at begin and once at end, repeats ignored', () => {
  const receiver = new TelephoneEventReceiver();
  const notices = [
    ...receiver.receive(packet(1000, 5, 400, false, true), 0),
    ...receiver.receive(packet(1000, 5, 800, true), 50),
    ...receiver.receive(packet(1000, 5, 800, true), 100),
    ...receiver.receive(packet(1000, 5, 800, true), 150),
    ...receiver.tick(1000),
  ];
  assert.deepEqual(summary(notices), ['begin 5 ts=1000', 'end 5 100ms by end-bit']);
});

test('RFC 4733 §2.5.2.2: lost start packets: the first packet seen begins the event', () => {
  const receiver = new TelephoneEventReceiver();
  const notices = [
    ...receiver.receive(packet(8000, 11, 1200, false), 100),
    ...receiver.receive(packet(8000, 11, 1600, true), 150),
  ];
  assert.deepEqual(summary(notices), ['begin # ts=8000', 'end # 200ms by end-bit']);
});

test('RFC 4733 §2.5.2.2: all end packets lost: the event ends after the timeout with the last duration, once', () => {
  const receiver = new TelephoneEventReceiver({ endTimeoutMs: 300 });
  const notices = [
    ...receiver.receive(packet(0, 1, 400, false, true), 0),
    ...receiver.receive(packet(0, 1, 800, false), 50),
    ...receiver.tick(349),
  ];
  assert.deepEqual(summary(notices), ['begin 1 ts=0']);
  notices.push(...receiver.tick(350));
  // A straggling end packet after the timeout changes nothing.
  notices.push(...receiver.receive(packet(0, 1, 960, true), 400), ...receiver.tick(2000));
  assert.deepEqual(summary(notices), ['begin 1 ts=0', 'end 1 100ms by timeout']);
});

test('RFC 4733 §2.5.2.2: reordered updates: the duration only grows; the end packet fixes it; late updates ignored', () => {
  const receiver = new TelephoneEventReceiver();
  const notices = [
    ...receiver.receive(packet(400, 2, 800, false), 50),
    ...receiver.receive(packet(400, 2, 400, false, true), 55),
  ];
  assert.equal(receiver.current?.durationUnits, 800);
  notices.push(
    ...receiver.receive(packet(400, 2, 1040, true), 130),
    ...receiver.receive(packet(400, 2, 1200, false), 135),
    ...receiver.receive(packet(400, 2, 1040, true), 180),
    ...receiver.tick(1000),
  );
  assert.deepEqual(summary(notices), ['begin 2 ts=400', 'end 2 130ms by end-bit']);
  assert.equal(receiver.current, null);
});

test('RFC 4733 §2.5.2.2: a new timestamp is a new event and ends the previous one; same digit twice is two events', () => {
  const receiver = new TelephoneEventReceiver();
  const notices = [
    ...receiver.receive(packet(0, 3, 400, false, true), 0),
    ...receiver.receive(packet(0, 3, 800, false), 50),
    ...receiver.receive(packet(1200, 3, 400, false, true), 150),
    ...receiver.receive(packet(1200, 3, 800, true), 200),
    ...receiver.receive(packet(0, 3, 800, true), 210),
  ];
  assert.deepEqual(summary(notices), ['begin 3 ts=0', 'end 3 100ms by next-event', 'begin 3 ts=1200', 'end 3 100ms by end-bit']);
});

test('RFC 4733 §2.5.2.4: a long event sent in segments surfaces as one event with the summed duration', () => {
  const sender = new TelephoneEventSender({ payloadType: 96 });
  sender.start({ event: '5', nowMs: 0, rtpTimestamp: 0xfffff000, durationMs: 10_000 });
  const receiver = new TelephoneEventReceiver();
  const notices: TelephoneEventNotice[] = [];
  for (let t = 0; t <= 11_000; t += 10) {
    for (const p of sender.tick(t)) notices.push(...receiver.receive(p, t));
    notices.push(...receiver.tick(t));
  }
  assert.deepEqual(summary(notices), ['begin 5 ts=4294963200', 'end 5 10000ms by end-bit']);
});

test('RFC 4733 §2.5.2.2: the segment-final packets of a long event lost: the next segment still continues it', () => {
  const receiver = new TelephoneEventReceiver();
  const notices = [
    ...receiver.receive(packet(100, 7, 65_200, false), 0),
    ...receiver.receive(packet(100 + 0xffff, 7, 400, false), 50),
    ...receiver.receive(packet(100 + 0xffff, 7, 465, true), 60),
  ];
  assert.deepEqual(summary(notices), ['begin 7 ts=100', `end 7 ${(0xffff + 465) / 8}ms by end-bit`]);
});

test('RFC 3550 §5.1: event timestamps wrapping past 2^32 are new events, not stale ones', () => {
  const receiver = new TelephoneEventReceiver();
  const notices = [
    ...receiver.receive(packet(0xfffffe00, 1, 800, true, true), 0),
    ...receiver.receive(packet(0x00000100, 2, 800, true, true), 200),
  ];
  assert.deepEqual(summary(notices), ['begin 1 ts=4294966784', 'end 1 100ms by end-bit', 'begin 2 ts=256', 'end 2 100ms by end-bit']);
});

test('RFC 4733 §2.5.2.2: malformed payloads are dropped; events above 15 surface without a digit', () => {
  const receiver = new TelephoneEventReceiver();
  assert.deepEqual(receiver.receive({ timestamp: 1, marker: true, payload: new Uint8Array([1, 2, 3]) }, 0), []);
  const notices = receiver.receive(packet(10, 32, 800, true, true), 0);
  assert.deepEqual(notices.map((n) => [n.kind, n.event, n.digit]), [['begin', 32, null], ['end', 32, null]]);
});

test('RFC 4733 §2.5: a dialled string survives loss, duplication and reordering: each digit exactly once, in order', () => {
  const presses = [
    { digit: '1', atMs: 0, durationMs: 120 },
    { digit: '2', atMs: 300, durationMs: 100 },
    { digit: '2', atMs: 600, durationMs: 200 },
    { digit: '#', atMs: 1000, durationMs: 160 },
    { digit: '3', atMs: 1400, durationMs: 90 },
    { digit: '5', atMs: 1700, durationMs: 250 },
  ] as const;
  const packets = sent(presses);
  for (let seed = 1; seed <= 50; seed++) {
    const random = new SeededRandom(seed);
    const impaired: { p: OutgoingTelephoneEvent; atMs: number }[] = [];
    for (const p of packets) {
      if (random.next() < 0.2) continue; // 20 % loss
      const atMs = p.sendAtMs + 5 + Math.floor(random.next() * 40); // jitter reorders neighbours
      impaired.push({ p, atMs });
      if (random.next() < 0.1) impaired.push({ p, atMs: atMs + 15 }); // duplicates
    }
    const notices = deliver(new TelephoneEventReceiver(), impaired, 4000);
    const ends = notices.filter((n) => n.kind === 'end');
    const begins = notices.filter((n) => n.kind === 'begin');
    // A digit can only vanish when every one of its packets was lost.
    const expected = presses.filter((press) => impaired.some((i) => i.p.timestamp === press.atMs * 8)).map((press) => press.digit);
    assert.deepEqual(ends.map((n) => n.digit), expected, `seed ${seed}`);
    assert.deepEqual(begins.map((n) => n.digit), expected, `seed ${seed}`);
    for (const end of ends) {
      const press = presses.find((p) => p.atMs * 8 === end.timestamp);
      assert.ok(press !== undefined);
      assert.ok(end.kind === 'end' && end.durationMs <= Math.ceil(press.durationMs / 50) * 50, `seed ${seed}: never longer than sent`);
    }
  }
});
