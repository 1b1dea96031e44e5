import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpSender } from '../../../../firmware/media/rtp/rtp-sender.ts';

function scripted(values: readonly number[]): () => number {
  let i = 0;
  return () => {
    const value = values[i++];
    if (value === undefined) throw new Error('scripted random source exhausted');
    return value;
  };
}

test('RFC 3550 §5.1: SSRC, first sequence number and first timestamp come from the random source', () => {
  const sender = new RtpSender({ payloadType: 0, clockRateHz: 8000, randomUint32: scripted([0xaabbccdd, 0x1234ffff, 0xffff_ff60]) });
  assert.equal(sender.ssrc, 0xaabbccdd);
  assert.deepEqual(sender.next, { sequenceNumber: 0xffff, timestamp: 0xffff_ff60 });
  const first = sender.packetize(new Uint8Array(160), { timestampIncrement: 160 });
  const second = sender.packetize(new Uint8Array(160), { timestampIncrement: 160 });
  // Both counters wrap.
  assert.equal(first.sequenceNumber, 65535);
  assert.equal(second.sequenceNumber, 0);
  assert.equal(first.timestamp, 0xffff_ff60);
  assert.equal(second.timestamp, 0);
  assert.equal(first.ssrc, 0xaabbccdd);
  assert.equal(first.payloadType, 0);
});

test('RFC 3550 §5.1: crypto-random start values differ between senders and are in range', () => {
  const a = new RtpSender({ payloadType: 0, clockRateHz: 8000 });
  const b = new RtpSender({ payloadType: 0, clockRateHz: 8000 });
  assert.notEqual(a.ssrc, b.ssrc);
  for (const sender of [a, b]) {
    assert.ok(Number.isInteger(sender.ssrc) && sender.ssrc >= 0 && sender.ssrc <= 0xffff_ffff);
    assert.ok(sender.next.sequenceNumber >= 0 && sender.next.sequenceNumber <= 0xffff);
    assert.ok(sender.next.timestamp >= 0 && sender.next.timestamp <= 0xffff_ffff);
  }
});

test('RFC 3551 §4.1: marker on the first packet of a talk spurt only; silence skipped advances the timestamp', () => {
  const sender = new RtpSender({ payloadType: 8, clockRateHz: 8000, ssrc: 1, initialSequenceNumber: 10, initialTimestamp: 1000 });
  const markers: boolean[] = [];
  const timestamps: number[] = [];
  const send = (): void => {
    const packet = sender.packetize(new Uint8Array(160), { timestampIncrement: 160 });
    markers.push(packet.marker);
    timestamps.push(packet.timestamp);
  };
  send();
  send();
  send();
  sender.skip(800); // 100 ms of suppressed silence
  send();
  send();
  sender.beginTalkSpurt();
  send();
  assert.deepEqual(markers, [true, false, false, true, false, true]);
  assert.deepEqual(timestamps, [1000, 1160, 1320, 2280, 2440, 2600]);
  assert.equal(sender.next.sequenceNumber, 16, 'sequence numbers do not count skipped silence');
});

test('packetize: explicit marker and payload type override the defaults; timestampIncrement 0 keeps the timestamp', () => {
  const sender = new RtpSender({ payloadType: 0, clockRateHz: 8000, ssrc: 1, initialSequenceNumber: 0, initialTimestamp: 0 });
  const first = sender.packetize(Uint8Array.of(1), { timestampIncrement: 0, marker: false, payloadType: 101 });
  const second = sender.packetize(Uint8Array.of(1), { timestampIncrement: 160, marker: true, payloadType: 101 });
  assert.equal(first.marker, false);
  assert.equal(first.payloadType, 101);
  assert.equal(second.marker, true);
  assert.equal(second.timestamp, 0);
  assert.equal(sender.next.timestamp, 160);
});

test('RFC 3550 §6.4.1: packet and payload-octet counts for the SR; RTP timestamp extrapolated to the SR time', () => {
  const sender = new RtpSender({ payloadType: 0, clockRateHz: 8000, ssrc: 1, initialSequenceNumber: 0, initialTimestamp: 5000 });
  assert.equal(sender.rtpTimestampAt(0), 5000);
  sender.packetize(new Uint8Array(160), { timestampIncrement: 160, nowMs: 1000 });
  sender.packetize(new Uint8Array(80), { timestampIncrement: 80, nowMs: 1020 });
  assert.equal(sender.packetCount, 2);
  assert.equal(sender.octetCount, 240);
  assert.equal(sender.lastSendTimeMs, 1020);
  // Last packet timestamp 5160 at 1020 ms; 500 ms later at 8 kHz: +4000.
  assert.equal(sender.rtpTimestampAt(1520), 9160);
});

test('RFC 3550 §8.2: changing SSRC picks a new random one, avoids known SSRCs, resets the counts', () => {
  const sender = new RtpSender({ payloadType: 0, clockRateHz: 8000, ssrc: 7, initialSequenceNumber: 0, initialTimestamp: 0, randomUint32: scripted([7, 9, 11]) });
  sender.packetize(new Uint8Array(10), { timestampIncrement: 160, nowMs: 0 });
  const change = sender.changeSsrc(new Set([9]));
  assert.deepEqual(change, { previousSsrc: 7, ssrc: 11 });
  assert.equal(sender.ssrc, 11);
  assert.equal(sender.packetCount, 0);
  assert.equal(sender.octetCount, 0);
  const packet = sender.packetize(new Uint8Array(10), { timestampIncrement: 160 });
  assert.equal(packet.ssrc, 11);
  assert.equal(packet.sequenceNumber, 1, 'the sequence continues');
  assert.equal(packet.marker, true, 'a new SSRC starts a talk spurt');
});
