import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RTCP_COMPENSATION } from '../../../../firmware/media/rtcp/rtcp-interval.ts';
import { RtpSession, type RtpSessionOptions } from '../../../../firmware/media/session/rtp-session.ts';
import type { RtpSessionEvent } from '../../../../firmware/media/session/rtp-session-events.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { withTimeout } from '../../../support/udp-peer.ts';

type RtcpReportEvent = Extract<RtpSessionEvent, { type: 'rtcp-report' }>;

/** Simulated one-way network delay: fake time that passes while datagrams are in flight. */
const NETWORK_DELAY_MS = 30;

function open(clock: FakeClock, cname: string, extra: Partial<RtpSessionOptions> = {}): Promise<RtpSession> {
  return RtpSession.open({
    localAddress: '127.0.0.1',
    payloadType: 0,
    clockRateHz: 8000,
    cname,
    clock,
    random: () => 0.5,
    wallClockMs: () => 1_700_000_000_000,
    portRange: { minPort: 20000, maxPort: 32000 },
    ...extra,
  });
}

function nextReport(session: RtpSession): Promise<RtcpReportEvent> {
  return withTimeout(session.events.once('rtcp-report'), 2000, 'an RTCP report');
}

/** `count` RTP packets each way, one every 20 ms of fake time, each awaited at the far end. */
async function exchangeRtp(clock: FakeClock, a: RtpSession, b: RtpSession, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const atA = withTimeout(a.events.once('rtp-packet'), 2000, 'RTP at A');
    const atB = withTimeout(b.events.once('rtp-packet'), 2000, 'RTP at B');
    a.send(new Uint8Array(160), { timestampIncrement: 160 });
    b.send(new Uint8Array(160), { timestampIncrement: 160 });
    clock.advance(20);
    await Promise.all([atA, atB]);
  }
}

/** Fires the due RTCP timers, lets `NETWORK_DELAY_MS` of fake time pass, and waits for both reports to arrive. */
async function reportRound(clock: FakeClock, a: RtpSession, b: RtpSession): Promise<{ atA: RtcpReportEvent; atB: RtcpReportEvent; sentAtMs: number }> {
  const atA = nextReport(a);
  const atB = nextReport(b);
  const due = clock.nextDueInMs();
  assert.ok(due !== undefined, 'an RTCP timer is armed');
  clock.advance(due);
  const sentAtMs = clock.nowMs();
  clock.advance(NETWORK_DELAY_MS);
  return { atA: await atA, atB: await atB, sentAtMs };
}

test('RFC 3550 §6.3/§6.4: two sessions exchange SR on the randomised interval; RTT from LSR/DLSR (§6.4.1) is the simulated 2 × 30 ms', async (t) => {
  const clock = new FakeClock();
  const a = await open(clock, 'a@127.0.0.1');
  const b = await open(clock, 'b@127.0.0.1', { remote: { address: '127.0.0.1', rtpPort: a.localRtpPort } });
  a.setRemote({ address: '127.0.0.1', rtpPort: b.localRtpPort });
  t.after(() => Promise.all([a.close(), b.close()]));

  // 10 packets each way, one every 20 ms.
  await exchangeRtp(clock, a, b, 10);

  // §6.2 / A.7: the first report comes after half the 5 s minimum, × (0.5 + 0.5) / (e - 3/2).
  assert.equal(clock.nowMs() + (clock.nextDueInMs() ?? Number.NaN), 2500 / RTCP_COMPENSATION);
  const first = await reportRound(clock, a, b);
  // We both sent RTP: SRs, with our counts, and a block about the other's stream.
  assert.equal(first.atB.ssrc, a.sender.ssrc);
  assert.equal(first.atB.senderInfo?.packetCount, 10);
  assert.equal(first.atB.senderInfo?.octetCount, 1600);
  assert.equal(first.atB.reportBlock?.ssrc, b.sender.ssrc);
  assert.equal(first.atB.reportBlock?.cumulativeLost, 0);
  assert.equal(first.atB.reportBlock?.fractionLost, 0);
  assert.equal(first.atB.roundTripTimeMs, null, 'A had not heard an SR from B yet: LSR 0, no RTT');
  assert.equal(first.atA.ssrc, b.sender.ssrc);

  // Next report: the full 5 s minimum / (e - 3/2) after the first.
  const secondDue = clock.nowMs() + (clock.nextDueInMs() ?? Number.NaN);
  assert.ok(Math.abs(secondDue - first.sentAtMs - 5000 / RTCP_COMPENSATION) < 1e-6, `second report at ${secondDue}`);
  // §6.4: a report carries blocks only for sources heard since the previous one: keep talking.
  await exchangeRtp(clock, a, b, 5);
  const second = await reportRound(clock, a, b);
  for (const [event, session] of [[second.atA, a], [second.atB, b]] as const) {
    assert.ok(event.roundTripTimeMs !== null && Math.abs(event.roundTripTimeMs - 2 * NETWORK_DELAY_MS) < 0.1, `RTT ${event.roundTripTimeMs}`);
    assert.ok((event.reportBlock?.lastSenderReport ?? 0) !== 0);
    // DLSR: from the SR's arrival to the reply, in 1/65536 s.
    const dlsrMs = ((event.reportBlock?.delaySinceLastSenderReport ?? 0) * 1000) / 65536;
    assert.ok(Math.abs(dlsrMs - (second.sentAtMs - first.sentAtMs - NETWORK_DELAY_MS)) < 0.1, `DLSR ${dlsrMs} ms`);
    const stats = session.statistics();
    assert.ok(stats.roundTripTimeMs !== null && stats.roundTripTimeMs > 0);
    assert.equal(stats.remoteLossPercent, 0);
    assert.equal(stats.rtcpPacketsSent, 2);
    assert.equal(stats.rtcpPacketsReceived, 2);
  }
  assert.equal(second.atA.senderInfo?.packetCount, 15);
  assert.equal(a.statistics().remoteCname, 'b@127.0.0.1');
});

test('RFC 3550 §6.4.2: a session that only receives sends RR with a block about the talker; the talker SR carries none', async (t) => {
  const clock = new FakeClock();
  const sender = await open(clock, 'talker@127.0.0.1');
  const listener = await open(clock, 'listener@127.0.0.1', { remote: { address: '127.0.0.1', rtpPort: sender.localRtpPort } });
  sender.setRemote({ address: '127.0.0.1', rtpPort: listener.localRtpPort });
  t.after(() => Promise.all([sender.close(), listener.close()]));
  let arrived = 0;
  listener.events.on('rtp-packet', () => arrived++);
  for (let i = 0; i < 5; i++) {
    sender.send(new Uint8Array(80), { timestampIncrement: 160 });
    clock.advance(20);
  }
  await withTimeout(
    new Promise<void>((resolve) => {
      const poll = (): void => (arrived === 5 ? resolve() : void setTimeout(poll, 1));
      poll();
    }),
    2000,
    '5 RTP packets',
  );
  const round = await reportRound(clock, sender, listener);
  assert.equal(round.atA.senderInfo, null, 'the listener sent an RR');
  assert.equal(round.atA.reportBlock?.ssrc, sender.sender.ssrc);
  assert.equal(round.atA.reportBlock?.extendedHighestSequence, ((sender.sender.next.sequenceNumber - 1) & 0xffff) >>> 0);
  assert.notEqual(round.atB.senderInfo, null, 'the talker sent an SR');
  assert.equal(round.atB.reportBlock, null, 'the talker heard no RTP: no report block');
  assert.equal(sender.statistics().remoteCname, null, 'the listener sent no RTP: it is a member but not the remote stream');
});
