import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiveStatistics } from '../../../../firmware/media/rtp/receive-statistics.ts';
import { compactNtpToMs, msToCompactNtp, ntpFromUnixMs, ntpMiddle32, NTP_UNIX_OFFSET_SECONDS } from '../../../../firmware/media/rtcp/ntp-time.ts';
import { buildReportBlock } from '../../../../firmware/media/rtcp/report-block-builder.ts';
import { roundTripTimeMs } from '../../../../firmware/media/rtcp/round-trip-time.ts';
import { RTCP_COMPENSATION, rtcpIntervalMs, updateAverageRtcpSize } from '../../../../firmware/media/rtcp/rtcp-interval.ts';

test('RFC 3550 §4: NTP timestamps from Unix time; LSR is the middle 32 bits', () => {
  assert.deepEqual(ntpFromUnixMs(0), { seconds: NTP_UNIX_OFFSET_SECONDS, fraction: 0 });
  assert.deepEqual(ntpFromUnixMs(1500), { seconds: NTP_UNIX_OFFSET_SECONDS + 1, fraction: 0x8000_0000 });
  assert.deepEqual(ntpFromUnixMs(250), { seconds: NTP_UNIX_OFFSET_SECONDS, fraction: 0x4000_0000 });
  assert.equal(ntpMiddle32({ seconds: 0xe71a2b3c, fraction: 0x8000_0000 }), 0x2b3c8000);
  assert.equal(ntpMiddle32({ seconds: 0xb44db705, fraction: 0x2000_0000 }), 0xb7052000);
  assert.equal(msToCompactNtp(1250), 0x14000);
  assert.equal(compactNtpToMs(0x14000), 1250);
});

test('RFC 3550 §6.4.1 Figure 2: RTT = A - LSR - DLSR = 6.125 s in the RFC example', () => {
  assert.equal(roundTripTimeMs({ lastSenderReport: 0xb7052000, delaySinceLastSenderReport: 0x00054000 }, 0xb7108000), 6125);
});

test('RFC 3550 §6.4.1: RTT across the wrap of the compact NTP time; none without LSR; negative results rejected', () => {
  // LSR just before the 2^32 wrap, A just after: 0x10000 + 0x8000 units = 1.5 s, minus 0.25 s DLSR.
  assert.equal(roundTripTimeMs({ lastSenderReport: 0xffff_0000, delaySinceLastSenderReport: 0x4000 }, 0x0000_8000), 1250);
  assert.equal(roundTripTimeMs({ lastSenderReport: 0, delaySinceLastSenderReport: 0 }, 0x1234), null);
  assert.equal(roundTripTimeMs({ lastSenderReport: 0x10000, delaySinceLastSenderReport: 0x10000 }, 0x10000), null);
  assert.equal(roundTripTimeMs({ lastSenderReport: 0x10000, delaySinceLastSenderReport: 1 }, 0x10000), 0);
});

test('RFC 3550 §6.4.1: a report block from statistics carries LSR and DLSR (1/65536 s) or zeros before any SR', () => {
  const stats = new ReceiveStatistics({ ssrc: 0xabc, clockRateHz: 8000 });
  for (let i = 0; i < 5; i++) stats.onPacket({ sequenceNumber: 10 + i, timestamp: 160 * i, arrivalTimeMs: 20 * i, payloadBytes: 160 });
  const withoutSr = buildReportBlock({ statistics: stats, lastSenderReport: null, nowMs: 100 });
  assert.equal(withoutSr.lastSenderReport, 0);
  assert.equal(withoutSr.delaySinceLastSenderReport, 0);
  assert.equal(withoutSr.ssrc, 0xabc);
  assert.equal(withoutSr.extendedHighestSequence, 14);
  const withSr = buildReportBlock({ statistics: stats, lastSenderReport: { ntpMiddle32: 0x2b3c8000, arrivalTimeMs: 1000 }, nowMs: 2250 });
  assert.equal(withSr.lastSenderReport, 0x2b3c8000);
  assert.equal(withSr.delaySinceLastSenderReport, 0x14000);
});

const pointToPoint = {
  members: 2,
  senders: 2,
  rtcpBandwidthBytesPerSecond: 500, // 5 % of 80 kbit/s
  weSent: true,
  averageRtcpSizeBytes: 100,
  initial: false,
} as const;

test('RFC 3550 §6.3.1/A.7: a two-party call sits at the 5 s minimum, randomised over [0.5, 1.5] and divided by e - 3/2', () => {
  assert.equal(RTCP_COMPENSATION, Math.E - 1.5);
  assert.equal(rtcpIntervalMs({ ...pointToPoint, random: () => 0.5 }), 5000 / (Math.E - 1.5));
  assert.equal(rtcpIntervalMs({ ...pointToPoint, random: () => 0 }), 2500 / (Math.E - 1.5));
  const nearTop = rtcpIntervalMs({ ...pointToPoint, random: () => 0.999999 });
  assert.ok(nearTop < 7500 / (Math.E - 1.5) && nearTop > 7499 / (Math.E - 1.5));
});

test('RFC 3550 §6.2/A.7: the minimum is halved before the first report', () => {
  assert.equal(rtcpIntervalMs({ ...pointToPoint, initial: true, random: () => 0.5 }), 2500 / (Math.E - 1.5));
});

test('RFC 3550 A.7: every interval falls within [0.5, 1.5] × T / (e - 3/2) for random in [0, 1)', () => {
  for (let i = 0; i <= 100; i++) {
    const random = i / 101;
    const t = rtcpIntervalMs({ ...pointToPoint, random: () => random });
    assert.ok(t >= 2500 / RTCP_COMPENSATION && t < 7500 / RTCP_COMPENSATION, `interval ${t} out of bounds for random ${random}`);
  }
});

test('RFC 3550 §6.2/A.7: in a large session receivers share 75 % of the RTCP bandwidth, senders 25 %', () => {
  const large = { members: 1000, senders: 1, rtcpBandwidthBytesPerSecond: 500, averageRtcpSizeBytes: 100, initial: false, random: () => 0.5 };
  // Receiver: 999 receivers × 100 octets / 375 octets/s = 266.4 s.
  assert.ok(Math.abs(rtcpIntervalMs({ ...large, weSent: false }) - (266.4 * 1000) / RTCP_COMPENSATION) < 1e-6);
  // Sender: 1 sender × 100 / 125 = 0.8 s, below the minimum → 5 s.
  assert.equal(rtcpIntervalMs({ ...large, weSent: true }), 5000 / RTCP_COMPENSATION);
  // Without the sender split (senders > 25 %), everyone shares: 1000 × 100 / 500 = 200 s.
  assert.ok(Math.abs(rtcpIntervalMs({ ...large, senders: 400, weSent: false }) - 200_000 / RTCP_COMPENSATION) < 1e-6);
});

test('RFC 3550 §6.2: a configured smaller minimum is honoured', () => {
  assert.equal(rtcpIntervalMs({ ...pointToPoint, minimumIntervalMs: 100, random: () => 0.5 }), 400 / RTCP_COMPENSATION);
});

test('RFC 3550 §6.3.3: avg_rtcp_size = 1/16 packet + 15/16 avg', () => {
  assert.equal(updateAverageRtcpSize(100, 260), 110);
  assert.equal(updateAverageRtcpSize(128, 128), 128);
});
