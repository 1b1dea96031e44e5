import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeTelephoneEvents,
  encodeTelephoneEvent,
  volumeFieldForDbm0,
} from '../../../../firmware/media/dtmf/telephone-event-payload.ts';
import { dtmfDigitToEvent, dtmfEventToDigit, dtmfFrequenciesHz } from '../../../../firmware/media/dtmf/dtmf-digits.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

// Fixtures derived bit by bit from the RFC 4733 §2.3 figure:
// event(8) | E(1) R(1) volume(6) | duration(16, network order).
const FIXTURES = [
  { name: 'digit 5, update, -10 dBm0, 400 units', block: { event: 5, end: false, volume: 10, durationUnits: 400 }, hex: '050a0190' },
  { name: 'digit 5, end, -10 dBm0, 800 units', block: { event: 5, end: true, volume: 10, durationUnits: 800 }, hex: '058a0320' },
  { name: '# (11), end, -63 dBm0, 0xFFFF units', block: { event: 11, end: true, volume: 63, durationUnits: 0xffff }, hex: '0bbfffff' },
  { name: 'digit 0, first packet, 0 dBm0, 0 units', block: { event: 0, end: false, volume: 0, durationUnits: 0 }, hex: '00000000' },
  { name: 'D (15), -7 dBm0, 1280 units', block: { event: 15, end: false, volume: 7, durationUnits: 1280 }, hex: '0f070500' },
] as const;

for (const fixture of FIXTURES) {
  test(`RFC 4733 §2.3: encodes ${fixture.name} byte-exact`, () => {
    assert.equal(hex(encodeTelephoneEvent(fixture.block)), fixture.hex);
  });
  test(`RFC 4733 §2.3: decodes ${fixture.name}`, () => {
    assert.deepEqual(decodeTelephoneEvents(Buffer.from(fixture.hex, 'hex')), [fixture.block]);
  });
}

test('RFC 4733 §2.3.4: the R bit is sent as zero and ignored on receipt', () => {
  const withReserved = Buffer.from('05ca0190', 'hex'); // E=1, R=1, volume 10
  assert.deepEqual(decodeTelephoneEvents(withReserved), [{ event: 5, end: true, volume: 10, durationUnits: 400 }]);
  assert.equal(hex(encodeTelephoneEvent({ event: 5, end: true, volume: 10, durationUnits: 400 })), '058a0190');
});

test('RFC 4733 §2.5.1.5: a payload of several blocks decodes to each; partial blocks are refused', () => {
  assert.deepEqual(decodeTelephoneEvents(Buffer.from('018a0320' + '028a0190', 'hex')), [
    { event: 1, end: true, volume: 10, durationUnits: 800 },
    { event: 2, end: true, volume: 10, durationUnits: 400 },
  ]);
  assert.equal(decodeTelephoneEvents(new Uint8Array(0)), null);
  assert.equal(decodeTelephoneEvents(Buffer.from('050a01', 'hex')), null);
  assert.equal(decodeTelephoneEvents(Buffer.from('050a019000', 'hex')), null);
});

test('RFC 4733 §2.3: out-of-range fields are refused, not truncated', () => {
  assert.throws(() => encodeTelephoneEvent({ event: 256, end: false, volume: 0, durationUnits: 0 }), RangeError);
  assert.throws(() => encodeTelephoneEvent({ event: 1, end: false, volume: 64, durationUnits: 0 }), RangeError);
  assert.throws(() => encodeTelephoneEvent({ event: 1, end: false, volume: 0, durationUnits: 0x10000 }), RangeError);
  assert.throws(() => encodeTelephoneEvent({ event: 1, end: false, volume: 0, durationUnits: 1.5 }), RangeError);
});

test('RFC 4733 §2.3.4: volume field is the level in dB below 0 dBm0, clamped to 0..63', () => {
  assert.equal(volumeFieldForDbm0(-10), 10);
  assert.equal(volumeFieldForDbm0(-6.4), 6);
  assert.equal(volumeFieldForDbm0(3), 0);
  assert.equal(volumeFieldForDbm0(-80), 63);
});

test('RFC 4733 §3.2 Table 7: DTMF event codes; ITU-T Q.23 frequency pairs', () => {
  assert.deepEqual(['0', '9', '*', '#', 'A', 'D'].map((d) => dtmfDigitToEvent(d as '0')), [0, 9, 10, 11, 12, 15]);
  assert.equal(dtmfEventToDigit(11), '#');
  assert.equal(dtmfEventToDigit(16), null);
  assert.deepEqual(dtmfFrequenciesHz('1'), { lowHz: 697, highHz: 1209 });
  assert.deepEqual(dtmfFrequenciesHz('0'), { lowHz: 941, highHz: 1336 });
  assert.deepEqual(dtmfFrequenciesHz('#'), { lowHz: 941, highHz: 1477 });
  assert.deepEqual(dtmfFrequenciesHz('D'), { lowHz: 941, highHz: 1633 });
  assert.deepEqual(dtmfFrequenciesHz('6'), { lowHz: 770, highHz: 1477 });
});
