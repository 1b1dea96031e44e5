import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TelephoneEventSender, type OutgoingTelephoneEvent } from '../../../../firmware/media/dtmf/telephone-event-sender.ts';
import { decodeTelephoneEvents } from '../../../../firmware/media/dtmf/telephone-event-payload.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function view(packets: readonly OutgoingTelephoneEvent[]): string[] {
  return packets.map((p) => `${p.sendAtMs} pt=${p.payloadType} M=${p.marker ? 1 : 0} ts=${p.timestamp} ${hex(p.payload)}${p.repeat ? ' repeat' : ''}`);
}

/** Drives the sender like the media loop does: one tick per audio frame. */
function run(sender: TelephoneEventSender, untilMs: number, frameMs = 20): OutgoingTelephoneEvent[] {
  const out: OutgoingTelephoneEvent[] = [];
  for (let t = 0; t <= untilMs; t += frameMs) out.push(...sender.tick(t));
  return out;
}

test('RFC 4733 §2.5.1.2/§2.5.1.4: a 100 ms press on negotiated PT 96: marker first, duration grows, end sent 3 times', () => {
  const sender = new TelephoneEventSender({ payloadType: 96 });
  sender.start({ event: '5', nowMs: 0, rtpTimestamp: 1000, durationMs: 100 });
  assert.deepEqual(view(sender.tick(0)), ['0 pt=96 M=1 ts=1000 050a0190']);
  assert.deepEqual(sender.tick(49), []);
  assert.deepEqual(view(sender.tick(200)), [
    '50 pt=96 M=0 ts=1000 058a0320',
    '100 pt=96 M=0 ts=1000 058a0320 repeat',
    '150 pt=96 M=0 ts=1000 058a0320 repeat',
  ]);
  assert.equal(sender.busy, false);
});

test('RFC 4733 §2.5.1.1: the payload type is the negotiated one, whatever it is', () => {
  for (const payloadType of [96, 100, 101, 127]) {
    const sender = new TelephoneEventSender({ payloadType });
    sender.start({ event: '1', nowMs: 0, rtpTimestamp: 0, durationMs: 60 });
    const packets = run(sender, 500);
    assert.ok(packets.length > 0);
    assert.ok(packets.every((p) => p.payloadType === payloadType));
  }
  assert.throws(() => new TelephoneEventSender({ payloadType: 128 }), RangeError);
  assert.throws(() => new TelephoneEventSender({ payloadType: -1 }), RangeError);
});

test('RFC 4733 §2.5.1.2: a live key press (stop on release), ticked per 20 ms frame', () => {
  const sender = new TelephoneEventSender({ payloadType: 101, volumeDbm0: -8 });
  sender.start({ event: '#', nowMs: 0, rtpTimestamp: 48000 });
  const out: OutgoingTelephoneEvent[] = [];
  for (let t = 0; t <= 400; t += 20) {
    if (t === 140) sender.stop(130);
    out.push(...sender.tick(t));
  }
  // Updates due at 0, 50, 100 with duration (k+1)·400; release at 130 ms = 1040 units.
  // sendAtMs is when each was due; the 20 ms ticks pick them up at the next frame.
  assert.deepEqual(view(out), [
    '0 pt=101 M=1 ts=48000 0b080190',
    '50 pt=101 M=0 ts=48000 0b080320',
    '100 pt=101 M=0 ts=48000 0b0804b0',
    '130 pt=101 M=0 ts=48000 0b880410',
    '180 pt=101 M=0 ts=48000 0b880410 repeat',
    '230 pt=101 M=0 ts=48000 0b880410 repeat',
  ]);
});

test('RFC 4733 §2.5.1.2: updates every packet interval (ptime 20 ms): duration +160 each time', () => {
  const sender = new TelephoneEventSender({ payloadType: 101, packetIntervalMs: 20 });
  sender.start({ event: '2', nowMs: 0, rtpTimestamp: 5, durationMs: 80 });
  const packets = run(sender, 300);
  const durations = packets.map((p) => decodeTelephoneEvents(p.payload)?.[0]?.durationUnits);
  assert.deepEqual(durations, [160, 320, 480, 640, 640, 640]);
  assert.deepEqual(packets.map((p) => p.sendAtMs), [0, 20, 40, 60, 80, 100]);
  assert.deepEqual(packets.map((p) => p.end), [false, false, false, true, true, true]);
  assert.ok(packets.every((p) => p.timestamp === 5), 'RFC 4733 §2.3.1: every packet carries the event start timestamp');
});

test('RFC 4733 §2.5.1.3: a 10 s event is sent as segments of 0xFFFF units; timestamps wrap mod 2^32', () => {
  const startTimestamp = 0xffffff00;
  const sender = new TelephoneEventSender({ payloadType: 96 });
  sender.start({ event: '9', nowMs: 0, rtpTimestamp: startTimestamp, durationMs: 10_000 });
  const packets = run(sender, 11_000, 10);
  const rows = packets.map((p) => ({ p, block: decodeTelephoneEvents(p.payload)?.[0] }));
  assert.equal(packets.filter((p) => p.marker).length, 1, 'marker only on the very first packet');
  const secondSegmentTimestamp = (startTimestamp + 0xffff) >>> 0;
  assert.equal(secondSegmentTimestamp, 0xfeff);
  const firstSegment = rows.filter((r) => r.p.timestamp === startTimestamp);
  const secondSegment = rows.filter((r) => r.p.timestamp === secondSegmentTimestamp);
  assert.equal(firstSegment.length + secondSegment.length, packets.length);
  // The first segment closes with three full-length packets that do not end the event.
  const segmentFinals = firstSegment.filter((r) => r.block?.durationUnits === 0xffff);
  assert.equal(segmentFinals.length, 3);
  assert.ok(segmentFinals.every((r) => r.block?.end === false));
  assert.ok(firstSegment.every((r) => (r.block?.durationUnits ?? 0) <= 0xffff && r.block?.end === false));
  // The second segment counts from its own start and ends the event: 80000 - 65535 units.
  const ends = secondSegment.filter((r) => r.block?.end);
  assert.equal(ends.length, 3);
  assert.ok(ends.every((r) => r.block?.durationUnits === 80_000 - 0xffff));
  assert.equal(secondSegment[0]?.block?.durationUnits, 65_600 - 0xffff);
});

test('RFC 4733 §2.5.1.2: a new key press ends the event in progress; each event has its own timestamp', () => {
  const sender = new TelephoneEventSender({ payloadType: 101 });
  sender.start({ event: '1', nowMs: 0, rtpTimestamp: 0 });
  const out = [...sender.tick(0), ...sender.tick(50)];
  sender.start({ event: '2', nowMs: 70, rtpTimestamp: 560 });
  out.push(...run(sender, 400).filter((p) => p.sendAtMs >= 70));
  const lines = view(out);
  assert.deepEqual(lines.slice(0, 4), [
    '0 pt=101 M=1 ts=0 010a0190',
    '50 pt=101 M=0 ts=0 010a0320',
    '70 pt=101 M=0 ts=0 018a0230',
    '70 pt=101 M=1 ts=560 020a0190',
  ]);
  assert.equal(out.filter((p) => p.timestamp === 0 && p.end).length, 3);
  assert.equal(out.filter((p) => p.marker).length, 2);
});

test('RFC 4733 §2.3: a press shorter than one interval is a single update ended at once', () => {
  const sender = new TelephoneEventSender({ payloadType: 96 });
  sender.start({ event: 'A', nowMs: 1000, rtpTimestamp: 7, durationMs: 30 });
  assert.deepEqual(view(sender.tick(1200)), [
    '1000 pt=96 M=1 ts=7 0c8a00f0',
    '1050 pt=96 M=0 ts=7 0c8a00f0 repeat',
    '1100 pt=96 M=0 ts=7 0c8a00f0 repeat',
  ]);
  assert.throws(() => sender.start({ event: 'x' as 'A', nowMs: 0, rtpTimestamp: 0 }), RangeError);
  assert.throws(() => sender.start({ event: '1', nowMs: 0, rtpTimestamp: 2 ** 32 }), RangeError);
});
