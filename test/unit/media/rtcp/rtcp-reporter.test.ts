import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ntpFromUnixMs, ntpMiddle32 } from '../../../../firmware/media/rtcp/ntp-time.ts';
import { parseRtcpCompound } from '../../../../firmware/media/rtcp/rtcp-compound.ts';
import { RTCP_COMPENSATION } from '../../../../firmware/media/rtcp/rtcp-interval.ts';
import { RtcpReporter } from '../../../../firmware/media/rtcp/rtcp-reporter.ts';
import type { RtcpPacket } from '../../../../firmware/media/rtcp/rtcp-types.ts';
import { RtpSender } from '../../../../firmware/media/rtp/rtp-sender.ts';
import type { RtpPacket } from '../../../../firmware/media/types.ts';

const WALL_ORIGIN_MS = 1_700_000_000_000;

function reporter(): RtcpReporter {
  return new RtcpReporter({ cname: 'me@host', clockRateHz: 8000, random: () => 0.5, wallClockMsAt: (nowMs) => WALL_ORIGIN_MS + nowMs });
}

function sender(): RtpSender {
  return new RtpSender({ payloadType: 0, clockRateHz: 8000, ssrc: 0xaaaa, initialSequenceNumber: 0, initialTimestamp: 0 });
}

function remotePacket(sequenceNumber: number): RtpPacket {
  return { version: 2, paddingBytes: 0, marker: false, payloadType: 0, sequenceNumber, timestamp: sequenceNumber * 160, ssrc: 0xbbbb, csrcs: [], extension: null, payload: new Uint8Array(160) };
}

test('RFC 3550 §6.4: RR while we do not send, SR once we sent since the report before last, back to RR after two silent reports', () => {
  const r = reporter();
  const s = sender();
  const kinds: string[] = [];
  const report = (nowMs: number): RtcpPacket[] => {
    const built = r.buildReport({ nowMs, sender: s });
    const reparsed = parseRtcpCompound(built.bytes, { requireCname: true });
    assert.ok(reparsed.ok, 'our compound passes our own §6.1 checks');
    kinds.push(built.packets[0]?.type ?? '?');
    return [...built.packets];
  };
  report(0);
  s.packetize(new Uint8Array(160), { timestampIncrement: 160, nowMs: 100 });
  r.onRtpSent();
  const [sr] = report(5000);
  report(10_000);
  report(15_000);
  assert.deepEqual(kinds, ['rr', 'sr', 'sr', 'rr']);
  assert.ok(sr?.type === 'sr');
  assert.equal(sr.senderInfo.packetCount, 1);
  assert.equal(sr.senderInfo.octetCount, 160);
  // RTP timestamp extrapolated from the packet at 100 ms (timestamp 0) to 5000 ms at 8 kHz.
  assert.equal(sr.senderInfo.rtpTimestamp, 4900 * 8);
  assert.deepEqual(sr.senderInfo.ntpTimestamp, ntpFromUnixMs(WALL_ORIGIN_MS + 5000));
});

test('RFC 3550 §6.4: a report block only for sources heard since the last report, with LSR/DLSR of their SR', () => {
  const r = reporter();
  const s = sender();
  for (let seq = 1; seq <= 10; seq++) r.onRtpPacket(remotePacket(seq), seq * 20);
  const theirSr = { seconds: 0xe0000001, fraction: 0x8000_0000 };
  r.onRtcpCompound(
    [
      { type: 'sr', ssrc: 0xbbbb, senderInfo: { ntpTimestamp: theirSr, rtpTimestamp: 0, packetCount: 10, octetCount: 1600 }, reportBlocks: [], profileExtension: new Uint8Array() },
      { type: 'sdes', chunks: [{ ssrc: 0xbbbb, items: [{ type: 1, text: 'them@host' }] }] },
    ],
    { arrivalTimeMs: 1000, datagramBytes: 60, localSsrc: s.ssrc },
  );
  assert.equal(r.cnameOf(0xbbbb), 'them@host');
  const first = r.buildReport({ nowMs: 1500, sender: s }).packets[0];
  assert.ok(first?.type === 'rr');
  assert.equal(first.reportBlocks.length, 1);
  assert.deepEqual(first.reportBlocks[0], {
    ssrc: 0xbbbb,
    fractionLost: 0,
    cumulativeLost: 0,
    extendedHighestSequence: 10,
    jitter: 0,
    lastSenderReport: ntpMiddle32(theirSr),
    delaySinceLastSenderReport: 0x8000, // 0.5 s
  });
  const second = r.buildReport({ nowMs: 6500, sender: s }).packets[0];
  assert.ok(second?.type === 'rr');
  assert.equal(second.reportBlocks.length, 0, 'nothing heard since the last report');
});

test('RFC 3550 §6.4.1: the RTT comes from the block about our SSRC in the peer report', () => {
  const r = reporter();
  const s = sender();
  s.packetize(new Uint8Array(160), { timestampIncrement: 160, nowMs: 0 });
  r.onRtpSent();
  const ourSr = r.buildReport({ nowMs: 2000, sender: s }).packets[0];
  assert.ok(ourSr?.type === 'sr');
  const lsr = ntpMiddle32(ourSr.senderInfo.ntpTimestamp);
  // The peer held our SR for 1 s and its report took 40 ms each way: RTT 80 ms.
  const digest = r.onRtcpCompound(
    [
      {
        type: 'rr',
        ssrc: 0xbbbb,
        reportBlocks: [{ ssrc: s.ssrc, fractionLost: 64, cumulativeLost: 3, extendedHighestSequence: 1, jitter: 80, lastSenderReport: lsr, delaySinceLastSenderReport: 0x10000 }],
        profileExtension: new Uint8Array(),
      },
    ],
    { arrivalTimeMs: 2000 + 40 + 1000 + 40, datagramBytes: 32, localSsrc: s.ssrc },
  );
  assert.equal(digest.reports.length, 1);
  const rtt = digest.reports[0]?.roundTripTimeMs;
  assert.ok(rtt !== null && rtt !== undefined && Math.abs(rtt - 80) < 0.05, `RTT ${rtt}`);
  assert.equal(digest.reports[0]?.reportBlock?.fractionLost, 64);
});

test('RFC 3550 §6.3.4: BYE removes the member; §6.3 interval: initial half minimum, then the full one', () => {
  const r = reporter();
  const s = sender();
  assert.equal(r.nextIntervalMs(), 2500 / RTCP_COMPENSATION);
  r.onRtpPacket(remotePacket(1), 0);
  assert.deepEqual(r.memberSsrcs, [0xbbbb]);
  const digest = r.onRtcpCompound(
    [
      { type: 'rr', ssrc: 0xbbbb, reportBlocks: [], profileExtension: new Uint8Array() },
      { type: 'bye', ssrcs: [0xbbbb], reason: 'bye' },
    ],
    { arrivalTimeMs: 10, datagramBytes: 16, localSsrc: s.ssrc },
  );
  assert.deepEqual(digest.byes, [{ ssrcs: [0xbbbb], reason: 'bye' }]);
  assert.deepEqual(r.memberSsrcs, []);
  const withBye = r.buildReport({ nowMs: 2000, sender: s, bye: { reason: null } });
  assert.deepEqual(withBye.packets.map((p) => p.type), ['rr', 'sdes', 'bye']);
  assert.equal(r.nextIntervalMs(), 5000 / RTCP_COMPENSATION);
});

test('RFC 3550 §6.3.5: a member silent for 5 intervals times out of the table', () => {
  const r = reporter();
  const s = sender();
  r.onRtpPacket(remotePacket(1), 0);
  r.buildReport({ nowMs: 20_000, sender: s });
  assert.deepEqual(r.memberSsrcs, [0xbbbb]);
  r.buildReport({ nowMs: 25_001 + 1, sender: s });
  assert.deepEqual(r.memberSsrcs, []);
});
