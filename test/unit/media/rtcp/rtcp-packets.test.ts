import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRtcpCompound, serializeRtcpCompound } from '../../../../firmware/media/rtcp/rtcp-compound.ts';
import { parseRtcpPackets, serializeRtcpPacket } from '../../../../firmware/media/rtcp/rtcp-packets.ts';
import { SDES_ITEM_TYPE, type RtcpPacket, type RtcpParseErrorReason } from '../../../../firmware/media/rtcp/rtcp-types.ts';
import { cnameOf } from '../../../../firmware/media/rtcp/source-description.ts';
import { parseHex, readHexFixture, toHex } from '../../../support/hex-fixture.ts';

function packetsOf(bytes: Uint8Array): RtcpPacket[] {
  const result = parseRtcpPackets(bytes);
  if (!result.ok) assert.fail(`parse failed: ${result.error.reason}: ${result.error.detail}`);
  return result.value.map((entry) => entry.packet);
}

function roundTripSingle(fixture: string): RtcpPacket {
  const bytes = readHexFixture(fixture);
  const packets = packetsOf(bytes);
  assert.equal(packets.length, 1);
  const [packet] = packets;
  if (!packet) assert.fail('no packet');
  assert.equal(toHex(serializeRtcpPacket(packet)), toHex(bytes), `${fixture} does not round-trip byte-exact`);
  return packet;
}

test('RFC 3550 §6.4.1: SR with one report block — fields and byte-exact round trip', () => {
  const packet = roundTripSingle('rtcp/sr-one-block.hex');
  assert.equal(packet.type, 'sr');
  if (packet.type !== 'sr') return;
  assert.equal(packet.ssrc, 0x11223344);
  assert.deepEqual(packet.senderInfo, {
    ntpTimestamp: { seconds: 0xe71a2b3c, fraction: 0x80000000 },
    rtpTimestamp: 123456,
    packetCount: 100,
    octetCount: 16000,
  });
  assert.deepEqual(packet.reportBlocks, [
    {
      ssrc: 0x55667788,
      fractionLost: 25,
      cumulativeLost: 12,
      extendedHighestSequence: 0x10005,
      jitter: 42,
      lastSenderReport: 0x2b3c8000,
      delaySinceLastSenderReport: 0x14000,
    },
  ]);
  assert.equal(packet.profileExtension.byteLength, 0);
});

test('RFC 3550 §6.4.2: RR with a negative cumulative lost (24-bit signed) and fraction 255 round-trips byte-exact', () => {
  const packet = roundTripSingle('rtcp/rr-negative-lost.hex');
  assert.equal(packet.type, 'rr');
  if (packet.type !== 'rr') return;
  assert.equal(packet.ssrc, 0x55667788);
  assert.equal(packet.reportBlocks[0]?.cumulativeLost, -1);
  assert.equal(packet.reportBlocks[0]?.fractionLost, 255);
  assert.equal(packet.reportBlocks[0]?.extendedHighestSequence, 65535);
  assert.equal(packet.reportBlocks[0]?.jitter, 256);
  assert.equal(packet.reportBlocks[0]?.lastSenderReport, 0);
});

test('RFC 3550 §6.5: SDES with CNAME and TOOL round-trips byte-exact (null terminator and 32-bit padding)', () => {
  const packet = roundTripSingle('rtcp/sdes-cname-tool.hex');
  assert.deepEqual(packet, {
    type: 'sdes',
    chunks: [
      {
        ssrc: 0x11223344,
        items: [
          { type: SDES_ITEM_TYPE.CNAME, text: 'user@127.0.0.1' },
          { type: SDES_ITEM_TYPE.TOOL, text: 'deskphone' },
        ],
      },
    ],
  });
  if (packet.type === 'sdes') assert.equal(cnameOf(packet, 0x11223344), 'user@127.0.0.1');
});

test('RFC 3550 §6.6: BYE with a reason round-trips byte-exact', () => {
  const packet = roundTripSingle('rtcp/bye-reason.hex');
  assert.deepEqual(packet, { type: 'bye', ssrcs: [0x11223344], reason: 'shutdown' });
});

test('RFC 3550 §6.1: compound SR + SDES CNAME parses as valid and round-trips byte-exact', () => {
  const bytes = readHexFixture('rtcp/compound-sr-sdes.hex');
  const result = parseRtcpCompound(bytes, { requireCname: true });
  assert.ok(result.ok, result.ok ? '' : result.error.detail);
  if (!result.ok) return;
  assert.deepEqual(result.value.map((p) => p.type), ['sr', 'sdes']);
  assert.equal(toHex(serializeRtcpCompound(result.value)), toHex(bytes));
});

test('RFC 3550 §6.1, §6.6: compound RR + SDES + BYE round-trips byte-exact', () => {
  const bytes = readHexFixture('rtcp/compound-rr-sdes-bye.hex');
  const result = parseRtcpCompound(bytes);
  assert.ok(result.ok);
  if (!result.ok) return;
  assert.deepEqual(result.value.map((p) => p.type), ['rr', 'sdes', 'bye']);
  const sdes = result.value[1];
  assert.ok(sdes?.type === 'sdes' && cnameOf(sdes, 0x01020304) === 'b@ex');
  assert.deepEqual(result.value[2], { type: 'bye', ssrcs: [0x01020304], reason: null });
  assert.equal(toHex(serializeRtcpCompound(result.value)), toHex(bytes));
});

test('RFC 3550 §6.1: unknown packet types (APP) are kept verbatim and round-trip', () => {
  const bytes = parseHex(`${'80 c9 00 01 01 02 03 04'} ${'81 ca 00 02 01 02 03 04 01 00 00 00'} ${'85 cc 00 02 01 02 03 04 74 65 73 74'}`);
  const result = parseRtcpCompound(bytes);
  assert.ok(result.ok);
  if (!result.ok) return;
  assert.deepEqual(result.value[2], { type: 'other', packetType: 204, count: 5, body: parseHex('01 02 03 04 74 65 73 74') });
  assert.equal(toHex(serializeRtcpCompound(result.value)), toHex(bytes));
});

test('RFC 3550 §6.4.1: padding on the last packet is removed', () => {
  const result = parseRtcpCompound(parseHex('a0 c9 00 02 01 02 03 04 00 00 00 04'));
  assert.ok(result.ok);
  if (result.ok) assert.deepEqual(result.value, [{ type: 'rr', ssrc: 0x01020304, reportBlocks: [], profileExtension: new Uint8Array() }]);
});

const RR = '80 c9 00 01 01 02 03 04';
const malformed: readonly { name: string; hex: string; reason: RtcpParseErrorReason; detail: RegExp; requireCname?: boolean }[] = [
  { name: 'three octets', hex: '80 c9 00', reason: 'too-short', detail: /3 octets/ },
  { name: 'version 1', hex: '40 c9 00 01 01 02 03 04', reason: 'bad-version', detail: /packet 1: version 1/ },
  { name: 'second packet version 0', hex: `${RR} 00 ca 00 01 01 02 03 04`, reason: 'bad-version', detail: /packet 2: version 0/ },
  { name: 'length beyond the datagram', hex: '80 c9 00 02 01 02 03 04', reason: 'bad-length', detail: /claims 12 octets, 8 remain/ },
  { name: 'stray octets after the last packet', hex: `${RR} 80 c9`, reason: 'bad-length', detail: /2 stray octets/ },
  { name: 'padding count 0', hex: 'a0 c9 00 02 01 02 03 04 00 00 00 00', reason: 'bad-padding', detail: /padding count 0/ },
  { name: 'padding count beyond the body', hex: 'a0 c9 00 01 01 02 03 09', reason: 'bad-padding', detail: /padding count 9 with 4 body octets/ },
  { name: 'padding on a packet that is not the last', hex: `a0 c9 00 02 01 02 03 04 00 00 00 04 ${RR}`, reason: 'padding-not-last', detail: /packet 1 of 2/ },
  { name: 'SR shorter than its sender info', hex: '80 c8 00 02 01 02 03 04 00 00 00 00', reason: 'too-short', detail: /SR body of 8 octets/ },
  { name: 'RR with RC=2 and one block', hex: `82 c9 00 07 01 02 03 04 ${'00 '.repeat(24)}`, reason: 'report-blocks-overrun', detail: /RC=2 needs 52 body octets, has 28/ },
  { name: 'RR without SSRC', hex: '80 c9 00 00', reason: 'too-short', detail: /no SSRC/ },
  { name: 'SDES item overrunning', hex: `${RR} 81 ca 00 02 01 02 03 04 01 09 61 62`, reason: 'bad-sdes', detail: /type 1 of 9 octets overruns/ },
  { name: 'SDES chunk without end-of-items', hex: `${RR} 81 ca 00 02 01 02 03 04 01 02 61 62`, reason: 'bad-sdes', detail: /no end-of-items/ },
  { name: 'SDES SC=2 with one chunk', hex: `${RR} 82 ca 00 02 01 02 03 04 00 00 00 00`, reason: 'bad-sdes', detail: /chunk 2 of 2 starts past/ },
  { name: 'BYE SC=2 with one SSRC', hex: `${RR} 82 cb 00 01 01 02 03 04`, reason: 'bad-bye', detail: /SC=2 needs 8 body octets, has 4/ },
  { name: 'BYE reason overrunning', hex: `${RR} 81 cb 00 02 01 02 03 04 09 61 62 63`, reason: 'bad-bye', detail: /reason of 9 octets overruns/ },
  { name: 'compound starting with SDES', hex: '81 ca 00 02 01 02 03 04 00 00 00 00', reason: 'first-not-report', detail: /starts with sdes/ },
  { name: 'compound starting with APP', hex: '80 cc 00 01 01 02 03 04', reason: 'first-not-report', detail: /starts with PT 204/ },
  { name: 'compound without CNAME when required', hex: RR, reason: 'missing-cname', detail: /no SDES CNAME/, requireCname: true },
];

for (const sample of malformed) {
  test(`RFC 3550 §6.1/A.2: malformed RTCP rejected without throwing — ${sample.name}`, () => {
    const result = parseRtcpCompound(parseHex(sample.hex), { requireCname: sample.requireCname ?? false });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.reason, sample.reason);
    assert.match(result.error.detail, sample.detail);
  });
}

test('RFC 3550 §6.1: serializing a compound refuses a first packet that is not SR/RR and a missing CNAME', () => {
  const rr: RtcpPacket = { type: 'rr', ssrc: 1, reportBlocks: [], profileExtension: new Uint8Array() };
  const sdes: RtcpPacket = { type: 'sdes', chunks: [{ ssrc: 1, items: [{ type: SDES_ITEM_TYPE.CNAME, text: 'x' }] }] };
  assert.throws(() => serializeRtcpCompound([sdes, rr]), /must start with SR or RR/);
  assert.throws(() => serializeRtcpCompound([rr]), /must carry an SDES CNAME/);
  assert.equal(toHex(serializeRtcpCompound([rr, sdes])), '80c9000100000001' + '81ca000200000001' + '01017800');
});

test('RFC 3550 §6.5: SDES chunk with no items still has its 4 null octets; empty BYE reason is padded', () => {
  assert.equal(toHex(serializeRtcpPacket({ type: 'sdes', chunks: [{ ssrc: 9, items: [] }] })), '81ca00020000000900000000');
  assert.equal(toHex(serializeRtcpPacket({ type: 'bye', ssrcs: [9], reason: '' })), '81cb00020000000900000000');
  assert.equal(toHex(serializeRtcpPacket({ type: 'bye', ssrcs: [], reason: null })), '80cb0000');
});
