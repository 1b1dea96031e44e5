import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRtpPacket, serializeRtpPacket, type RtpParseErrorReason } from '../../../../firmware/media/rtp/rtp-packet.ts';
import type { RtpPacket } from '../../../../firmware/media/types.ts';
import { parseHex, readHexFixture, toHex } from '../../../support/hex-fixture.ts';

function parsed(bytes: Uint8Array): RtpPacket {
  const result = parseRtpPacket(bytes);
  if (!result.ok) assert.fail(`parse failed: ${result.error.reason}: ${result.error.detail}`);
  return result.packet;
}

function roundTrip(fixture: string): RtpPacket {
  const bytes = readHexFixture(fixture);
  const packet = parsed(bytes);
  assert.equal(toHex(serializeRtpPacket(packet)), toHex(bytes), `${fixture} does not round-trip byte-exact`);
  return packet;
}

test('RFC 3550 §5.1: marker set, PT 0, fixed header only — fields and byte-exact round trip', () => {
  const packet = roundTrip('rtp/marker-pcmu.hex');
  assert.equal(packet.version, 2);
  assert.equal(packet.marker, true);
  assert.equal(packet.payloadType, 0);
  assert.equal(packet.sequenceNumber, 0x1234);
  assert.equal(packet.timestamp, 2560);
  assert.equal(packet.ssrc, 0xdeadbeef);
  assert.deepEqual(packet.csrcs, []);
  assert.equal(packet.extension, null);
  assert.equal(packet.paddingBytes, 0);
  assert.equal(toHex(packet.payload), 'ff7f0080d555');
});

test('RFC 3550 §5.1: CSRC list (CC=2) round-trips byte-exact', () => {
  const packet = roundTrip('rtp/csrcs.hex');
  assert.deepEqual(packet.csrcs, [0x0a0b0c0d, 0x01020304]);
  assert.equal(packet.marker, false);
  assert.equal(packet.payloadType, 8);
  assert.equal(packet.timestamp, 123456);
  assert.equal(toHex(packet.payload), '01020304');
});

test('RFC 3550 §5.3.1: header extension kept opaque and round-trips byte-exact', () => {
  const packet = roundTrip('rtp/header-extension.hex');
  assert.equal(packet.extension?.profile, 0xbede);
  assert.equal(toHex(packet.extension?.data ?? new Uint8Array()), '10ff0000');
  assert.equal(toHex(packet.payload), 'aabb');
});

test('RFC 3550 §5.1: padding removed from the payload, count kept, round-trips byte-exact', () => {
  const packet = roundTrip('rtp/padding.hex');
  assert.equal(packet.paddingBytes, 5);
  assert.equal(toHex(packet.payload), '010203');
});

test('RFC 3550 §5.1: sequence 65535, timestamp and SSRC 2^32-1, PT 127 round-trip byte-exact', () => {
  const packet = roundTrip('rtp/max-sequence-timestamp.hex');
  assert.equal(packet.sequenceNumber, 65535);
  assert.equal(packet.timestamp, 0xffff_ffff);
  assert.equal(packet.ssrc, 0xffff_ffff);
  assert.equal(packet.payloadType, 127);
  assert.equal(packet.marker, true);
});

test('RFC 3550 §5.1, §5.3.1: padding + extension + CSRC + marker together round-trip byte-exact', () => {
  const packet = roundTrip('rtp/everything.hex');
  assert.equal(packet.marker, true);
  assert.equal(packet.payloadType, 96);
  assert.equal(packet.timestamp, 0x8000_0000);
  assert.deepEqual(packet.csrcs, [0xcafebabe]);
  assert.equal(packet.extension?.profile, 0x0042);
  assert.equal(toHex(packet.extension?.data ?? new Uint8Array()), '0102030405060708');
  assert.equal(toHex(packet.payload), '65');
  assert.equal(packet.paddingBytes, 3);
});

test('RFC 3550 §5.1: a packet built in code serializes to the expected octets', () => {
  const bytes = serializeRtpPacket({
    version: 2,
    paddingBytes: 0,
    marker: false,
    payloadType: 0,
    sequenceNumber: 1,
    timestamp: 160,
    ssrc: 0x01020304,
    csrcs: [],
    extension: null,
    payload: Uint8Array.of(0xff, 0xfe),
  });
  assert.equal(toHex(bytes), '80000001000000a001020304fffe');
});

const malformed: readonly { name: string; hex: string; reason: RtpParseErrorReason; detail: RegExp }[] = [
  { name: 'empty datagram', hex: '', reason: 'too-short', detail: /0 octets/ },
  { name: '11 octets', hex: '80 00 00 01 00 00 00 a0 01 02 03', reason: 'too-short', detail: /11 octets/ },
  { name: 'version 1', hex: '40 00 00 01 00 00 00 a0 01 02 03 04', reason: 'bad-version', detail: /version 1/ },
  { name: 'version 0 (STUN-like)', hex: '00 01 00 00 21 12 a4 42 00 00 00 00', reason: 'bad-version', detail: /version 0/ },
  { name: 'version 3', hex: 'c0 00 00 01 00 00 00 a0 01 02 03 04', reason: 'bad-version', detail: /version 3/ },
  { name: 'CC=2 with one CSRC present', hex: '82 00 00 01 00 00 00 a0 01 02 03 04 0a 0b 0c 0d', reason: 'csrc-overrun', detail: /CSRC count 2 needs 20 octets, datagram has 16/ },
  { name: 'CC=15 on a bare header', hex: '8f 00 00 01 00 00 00 a0 01 02 03 04', reason: 'csrc-overrun', detail: /CSRC count 15/ },
  { name: 'X=1 without extension header', hex: '90 00 00 01 00 00 00 a0 01 02 03 04 be de', reason: 'extension-overrun', detail: /extension header needs 16 octets/ },
  { name: 'extension length 2 words with 1 present', hex: '90 00 00 01 00 00 00 a0 01 02 03 04 be de 00 02 00 00 00 00', reason: 'extension-overrun', detail: /extension length 2 words needs 24 octets, datagram has 20/ },
  { name: 'P=1 with count 0', hex: 'a0 00 00 01 00 00 00 a0 01 02 03 04 aa 00', reason: 'bad-padding', detail: /padding count is 0/ },
  { name: 'P=1 with count beyond the payload', hex: 'a0 00 00 01 00 00 00 a0 01 02 03 04 aa 03', reason: 'bad-padding', detail: /padding count 3 exceeds the 2 octets/ },
  { name: 'P=1 on a bare header (count read from the SSRC)', hex: 'a0 00 00 01 00 00 00 a0 01 02 03 04', reason: 'bad-padding', detail: /padding count 4 exceeds the 0 octets/ },
];

for (const sample of malformed) {
  test(`RFC 3550 §5.1/§5.3.1: malformed RTP rejected without throwing — ${sample.name}`, () => {
    const result = parseRtpPacket(parseHex(sample.hex));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.reason, sample.reason);
    assert.match(result.error.detail, sample.detail);
  });
}

test('RFC 3550 §5.1: padding exactly filling the payload leaves an empty payload', () => {
  const packet = parsed(parseHex('a0 00 00 01 00 00 00 a0 01 02 03 04 00 00 00 04'));
  assert.equal(packet.payload.byteLength, 0);
  assert.equal(packet.paddingBytes, 4);
});

test('parse works on a view into a larger buffer (byteOffset ≠ 0)', () => {
  const big = parseHex('ff ff ff 80 80 12 34 00 00 0a 00 de ad be ef 01 02 ff');
  const packet = parsed(big.subarray(3, 17));
  assert.equal(packet.sequenceNumber, 0x1234);
  assert.equal(packet.ssrc, 0xdeadbeef);
  assert.equal(toHex(packet.payload), '0102');
});

test('serialize refuses values that cannot be encoded (programming errors, not wire data)', () => {
  const base: RtpPacket = { version: 2, paddingBytes: 0, marker: false, payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, csrcs: [], extension: null, payload: new Uint8Array() };
  assert.throws(() => serializeRtpPacket({ ...base, payloadType: 128 }), /payload type 128/);
  assert.throws(() => serializeRtpPacket({ ...base, sequenceNumber: 65536 }), /sequence number/);
  assert.throws(() => serializeRtpPacket({ ...base, csrcs: new Array<number>(16).fill(1) }), /at most 15 CSRCs/);
  assert.throws(() => serializeRtpPacket({ ...base, extension: { profile: 1, data: new Uint8Array(3) } }), /multiple of 4/);
});
