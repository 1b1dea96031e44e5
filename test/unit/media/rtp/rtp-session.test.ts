import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRtcpCompound } from '../../../../firmware/media/rtcp/rtcp-compound.ts';
import { parseRtpPacket, serializeRtpPacket } from '../../../../firmware/media/rtp/rtp-packet.ts';
import { RtpSession, type RtpSessionOptions } from '../../../../firmware/media/session/rtp-session.ts';
import type { RtpSessionEvent } from '../../../../firmware/media/session/rtp-session-events.ts';
import type { RtpPacket } from '../../../../firmware/media/types.ts';
import { createLogger, MemorySink } from '../../../../firmware/log/logger.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { isIpv6LoopbackUsable } from '../../../support/ipv6-loopback.ts';
import { settle, UdpPeer, withTimeout } from '../../../support/udp-peer.ts';

type RtpPacketEvent = Extract<RtpSessionEvent, { type: 'rtp-packet' }>;

function openSession(overrides: Partial<RtpSessionOptions> = {}): Promise<RtpSession> {
  return RtpSession.open({
    localAddress: '127.0.0.1',
    payloadType: 0,
    clockRateHz: 8000,
    cname: 'test@127.0.0.1',
    clock: new FakeClock(),
    random: () => 0.5,
    portRange: { minPort: 20000, maxPort: 32000 },
    ...overrides,
  });
}

function collectPackets(session: RtpSession, count: number, timeoutMs = 2000): Promise<RtpPacketEvent[]> {
  const seen: RtpPacketEvent[] = [];
  return withTimeout(
    new Promise((resolve) => {
      const off = session.events.on('rtp-packet', (event) => {
        seen.push(event);
        if (seen.length === count) {
          off();
          resolve(seen);
        }
      });
    }),
    timeoutMs,
    `${count} RTP packets (got ${seen.length})`,
  );
}

function rtp(fields: Partial<RtpPacket> & Pick<RtpPacket, 'ssrc' | 'sequenceNumber'>): Uint8Array {
  return serializeRtpPacket({
    version: 2,
    paddingBytes: 0,
    marker: false,
    payloadType: 0,
    timestamp: fields.sequenceNumber * 160,
    csrcs: [],
    extension: null,
    payload: Uint8Array.of(0xd5, 0xd5),
    ...fields,
  });
}

test('RFC 3550 §11 + RFC 4961: even RTP port, RTCP on the next; two sessions on 127.0.0.1 exchange packets from their RTP sockets', async (t) => {
  const clock = new FakeClock();
  const a = await openSession({ clock });
  const b = await openSession({ clock, remote: { address: '127.0.0.1', rtpPort: a.localRtpPort } });
  t.after(() => Promise.all([a.close(), b.close()]));
  a.setRemote({ address: '127.0.0.1', rtpPort: b.localRtpPort });
  for (const session of [a, b]) {
    assert.equal(session.localRtpPort % 2, 0);
    assert.equal(session.localRtcpPort, session.localRtpPort + 1);
  }

  const atB = collectPackets(b, 5);
  const sent = [0, 1, 2, 3, 4].map((i) => a.send(Uint8Array.of(i, i, i), { timestampIncrement: 160 }));
  const events = await atB;
  assert.deepEqual(events.map((e) => [...e.packet.payload]), [[0, 0, 0], [1, 1, 1], [2, 2, 2], [3, 3, 3], [4, 4, 4]]);
  assert.deepEqual(events.map((e) => e.packet.marker), [true, false, false, false, false]);
  const first = sent[0];
  assert.ok(first);
  assert.deepEqual(events.map((e) => e.packet.sequenceNumber), [0, 1, 2, 3, 4].map((i) => (first.sequenceNumber + i) & 0xffff));
  assert.deepEqual(events.map((e) => e.packet.timestamp), [0, 1, 2, 3, 4].map((i) => (first.timestamp + 160 * i) % 2 ** 32));
  assert.ok(events.every((e) => e.packet.ssrc === a.sender.ssrc && e.packet.payloadType === 0));
  // Symmetric RTP: the packets leave from A's RTP socket.
  assert.ok(events.every((e) => e.from.port === a.localRtpPort && e.from.address === '127.0.0.1'));
  assert.deepEqual(events.map((e) => e.sourceValidated), [false, true, true, true, true]);

  const atA = collectPackets(a, 1);
  b.send(Uint8Array.of(9), { timestampIncrement: 160, payloadType: 8 });
  const [back] = await atA;
  assert.equal(back?.packet.payloadType, 8);
  assert.equal(back?.from.port, b.localRtpPort);

  const stats = b.statistics();
  assert.equal(stats.packetsReceived, 5);
  assert.equal(stats.octetsReceived, 15);
  assert.equal(stats.remoteSsrc, a.sender.ssrc);
  assert.equal(stats.packetsLost, 0);
  assert.equal(stats.lossPercent, 0);
  assert.equal(stats.packetsSent, 1);
  assert.equal(a.statistics().packetsSent, 5);
  assert.equal(a.statistics().octetsSent, 15);
});

test('RFC 4961 symmetric RTP: latches onto the port the peer really sends from, then ignores other sources', async (t) => {
  const sink = new MemorySink();
  const logger = createLogger('media', { sink, level: 'debug' });
  const peer = await UdpPeer.open();
  const intruder = await UdpPeer.open();
  const stalePort = peer.port === 65535 ? 65533 : peer.port + 1; // signalled, but nobody sends from there
  const session = await openSession({ logger, remote: { address: '127.0.0.1', rtpPort: stalePort } });
  t.after(async () => {
    await session.close();
    await Promise.all([peer.close(), intruder.close()]);
  });
  assert.deepEqual(session.statistics().remoteRtp, { address: '127.0.0.1', port: stalePort });

  const latched = withTimeout(session.events.once('remote-latched'), 2000, 'remote-latched');
  const arrived = collectPackets(session, 1);
  await peer.send(rtp({ ssrc: 0xabcdef, sequenceNumber: 100 }), session.localRtpPort);
  const event = await latched;
  await arrived;
  assert.deepEqual(event, {
    type: 'remote-latched',
    channel: 'rtp',
    previous: { address: '127.0.0.1', port: stalePort },
    latched: { address: '127.0.0.1', port: peer.port },
  });
  assert.ok(sink.find((r) => r.category === 'media.rtp' && r.level === 'info' && /latched/.test(r.msg)), 'a log line names the latch');
  assert.equal(session.statistics().latched, true);
  assert.deepEqual(session.statistics().remoteRtp, { address: '127.0.0.1', port: peer.port });

  // Our packets now go to where the peer sends from, from our RTP socket.
  session.send(Uint8Array.of(1, 2), { timestampIncrement: 160 });
  const datagram = await peer.next();
  assert.equal(datagram.from.port, session.localRtpPort);
  const parsed = parseRtpPacket(datagram.data);
  assert.ok(parsed.ok && parsed.packet.ssrc === session.sender.ssrc);

  // Another source after latching is ignored.
  const unexpected: RtpPacketEvent[] = [];
  session.events.on('rtp-packet', (e) => unexpected.push(e));
  await intruder.send(rtp({ ssrc: 0x666, sequenceNumber: 1 }), session.localRtpPort);
  await settle();
  assert.equal(unexpected.length, 0);
  assert.equal(session.statistics().ignoredPackets, 1);
  assert.deepEqual(session.statistics().remoteRtp, { address: '127.0.0.1', port: peer.port });

  // The latched peer is still heard.
  const more = collectPackets(session, 1);
  await peer.send(rtp({ ssrc: 0xabcdef, sequenceNumber: 101 }), session.localRtpPort);
  assert.equal((await more)[0]?.packet.sequenceNumber, 101);
});

test('without latching, only the signalled peer address is accepted and the destination never moves', async (t) => {
  const signalledPeer = await UdpPeer.open('127.0.0.2');
  const other = await UdpPeer.open('127.0.0.1');
  const session = await openSession({ symmetricLatching: false, remote: { address: '127.0.0.2', rtpPort: signalledPeer.port + 2 } });
  t.after(async () => {
    await session.close();
    await Promise.all([signalledPeer.close(), other.close()]);
  });
  await other.send(rtp({ ssrc: 1, sequenceNumber: 1 }), session.localRtpPort, '127.0.0.1');
  await settle();
  assert.equal(session.statistics().ignoredPackets, 1);
  assert.equal(session.statistics().packetsReceived, 0);

  // From the signalled IP, another port is fine (asymmetric peers), but it does not move our destination.
  const arrived = collectPackets(session, 1);
  await signalledPeer.send(rtp({ ssrc: 2, sequenceNumber: 1 }), session.localRtpPort, '127.0.0.1');
  await arrived;
  assert.deepEqual(session.statistics().remoteRtp, { address: '127.0.0.2', port: signalledPeer.port + 2 });
  assert.equal(session.statistics().latched, false);
});

test('malformed datagrams are counted and dropped without throwing; valid ones still get through', async (t) => {
  const peer = await UdpPeer.open();
  const session = await openSession({ remote: { address: '127.0.0.1', rtpPort: peer.port } });
  t.after(async () => {
    await session.close();
    await peer.close();
  });
  const arrived = collectPackets(session, 1);
  await peer.send(Buffer.from('hello'), session.localRtpPort);
  await peer.send(Uint8Array.of(0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1), session.localRtpPort); // version 1
  await peer.send(Uint8Array.of(0x8f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1), session.localRtpPort); // 15 CSRCs missing
  await peer.send(Uint8Array.of(0x80, 0xc9, 0, 5), session.localRtcpPort); // RTCP length overrun
  await peer.send(rtp({ ssrc: 5, sequenceNumber: 9 }), session.localRtpPort);
  const [event] = await arrived;
  await settle();
  assert.equal(event?.packet.sequenceNumber, 9);
  assert.equal(session.statistics().malformedPackets, 4);
  assert.equal(session.statistics().packetsReceived, 1);
});

test('RFC 3550 §8.2/A.1: a new remote SSRC is reported once validated (ssrc-changed, side remote)', async (t) => {
  const peer = await UdpPeer.open();
  const session = await openSession({ remote: { address: '127.0.0.1', rtpPort: peer.port } });
  t.after(async () => {
    await session.close();
    await peer.close();
  });
  const changes: RtpSessionEvent[] = [];
  session.events.on('ssrc-changed', (e) => changes.push(e));
  const arrived = collectPackets(session, 6);
  for (let seq = 1; seq <= 3; seq++) await peer.send(rtp({ ssrc: 0x1111, sequenceNumber: seq }), session.localRtpPort);
  await settle(20);
  assert.equal(session.statistics().remoteSsrc, 0x1111);
  await peer.send(rtp({ ssrc: 0x2222, sequenceNumber: 500 }), session.localRtpPort);
  await settle(20);
  assert.equal(changes.length, 0, 'one packet of a new SSRC is still on probation');
  await peer.send(rtp({ ssrc: 0x2222, sequenceNumber: 501 }), session.localRtpPort);
  await peer.send(rtp({ ssrc: 0x2222, sequenceNumber: 502 }), session.localRtpPort);
  await arrived;
  assert.deepEqual(changes, [{ type: 'ssrc-changed', side: 'remote', previousSsrc: 0x1111, ssrc: 0x2222 }]);
  assert.equal(session.statistics().remoteSsrc, 0x2222);
});

test('RFC 3550 §8.2: a peer using our SSRC makes us send BYE for the old SSRC and pick a new one', async (t) => {
  const peer = await UdpPeer.open();
  const session = await openSession({ rtcpMux: true, remote: { address: '127.0.0.1', rtpPort: peer.port } });
  t.after(async () => {
    await session.close();
    await peer.close();
  });
  const oldSsrc = session.sender.ssrc;
  const changed = withTimeout(session.events.once('ssrc-changed'), 2000, 'ssrc-changed');
  await peer.send(rtp({ ssrc: oldSsrc, sequenceNumber: 1 }), session.localRtpPort);
  const event = await changed;
  assert.equal(event.side, 'local');
  assert.equal(event.previousSsrc, oldSsrc);
  assert.notEqual(event.ssrc, oldSsrc);
  assert.equal(session.sender.ssrc, event.ssrc);
  const bye = parseRtcpCompound((await peer.next()).data);
  assert.ok(bye.ok);
  if (!bye.ok) return;
  assert.deepEqual(bye.value.find((p) => p.type === 'bye'), { type: 'bye', ssrcs: [oldSsrc], reason: 'SSRC collision' });
  session.send(Uint8Array.of(1), { timestampIncrement: 160 });
  const next = parseRtpPacket((await peer.next()).data);
  assert.ok(next.ok && next.packet.ssrc === event.ssrc);
});

test('RFC 5761 rtcp-mux: one socket; our RR to the peer reports its losses (RFC 3550 A.3) and jitter', async (t) => {
  const clock = new FakeClock();
  const peer = await UdpPeer.open();
  const session = await openSession({ clock, rtcpMux: true, remote: { address: '127.0.0.1', rtpPort: peer.port } });
  t.after(async () => {
    await session.close();
    await peer.close();
  });
  assert.equal(session.localRtcpPort, session.localRtpPort);
  // 1000 is the probation packet; 1005 and 1006 are lost. Paced exactly: zero jitter.
  const sequences = Array.from({ length: 20 }, (_, i) => 1000 + i).filter((s) => s !== 1005 && s !== 1006);
  const arrived = collectPackets(session, sequences.length);
  for (let seq = 1000; seq < 1020; seq++) {
    clock.advance(20);
    if (!sequences.includes(seq)) continue;
    await peer.send(rtp({ ssrc: 0x5151, sequenceNumber: seq, timestamp: seq * 160 }), session.localRtpPort);
    await settle(2);
  }
  await arrived;
  assert.equal(session.statistics().packetsLost, 2);
  assert.equal(session.statistics().lossPercent, (2 * 100) / 19);

  const due = clock.nextDueInMs();
  assert.ok(due !== undefined);
  clock.advance(due);
  const report = parseRtcpCompound((await peer.next()).data, { requireCname: true });
  assert.ok(report.ok, report.ok ? '' : report.error.detail);
  if (!report.ok) return;
  const rr = report.value[0];
  assert.equal(rr?.type, 'rr', 'we sent no RTP: RR, not SR');
  if (rr?.type !== 'rr') return;
  assert.equal(rr.ssrc, session.sender.ssrc);
  assert.equal(rr.reportBlocks.length, 1);
  const block = rr.reportBlocks[0];
  assert.equal(block?.ssrc, 0x5151);
  assert.equal(block?.cumulativeLost, 2);
  assert.equal(block?.fractionLost, Math.floor((2 * 256) / 19));
  assert.equal(block?.extendedHighestSequence, 1019);
  assert.equal(block?.lastSenderReport, 0);
  assert.equal(block?.jitter, 0, 'packets paced exactly 20 ms / 160 units apart');
  assert.equal(session.statistics().jitterMs, 0);
});

test('IPv6 loopback: two sessions on [::1] exchange a packet', async (t) => {
  if (!(await isIpv6LoopbackUsable())) {
    t.skip('IPv6 loopback not usable in this environment');
    return;
  }
  const a = await openSession({ localAddress: '::1', cname: 'a@[::1]' });
  const b = await openSession({ localAddress: '::1', cname: 'b@[::1]', remote: { address: '::1', rtpPort: a.localRtpPort } });
  t.after(() => Promise.all([a.close(), b.close()]));
  const arrived = collectPackets(a, 1);
  b.send(Uint8Array.of(7, 7), { timestampIncrement: 160 });
  const [event] = await arrived;
  assert.deepEqual(event?.from, { address: '::1', port: b.localRtpPort });
  assert.equal(event?.packet.ssrc, b.sender.ssrc);
});

test('RFC 3550 §6.6: close sends an RTCP BYE (after RR/SR and SDES) and is idempotent; send after close is refused', async (t) => {
  const clock = new FakeClock();
  const a = await openSession({ clock });
  const b = await openSession({ clock, remote: { address: '127.0.0.1', rtpPort: a.localRtpPort } });
  a.setRemote({ address: '127.0.0.1', rtpPort: b.localRtpPort });
  t.after(() => b.close());
  const arrived = collectPackets(b, 2);
  a.send(Uint8Array.of(1), { timestampIncrement: 160 });
  a.send(Uint8Array.of(2), { timestampIncrement: 160 });
  await arrived;
  assert.equal(b.statistics().remoteSsrc, a.sender.ssrc);

  const bye = withTimeout(b.events.once('remote-bye'), 2000, 'remote-bye');
  await Promise.all([a.close('call ended'), a.close('again')]);
  assert.deepEqual(await bye, { type: 'remote-bye', ssrcs: [a.sender.ssrc], reason: 'call ended' });
  assert.equal(b.statistics().remoteSsrc, null);
  assert.equal(b.statistics().rtcpPacketsReceived, 1);
  assert.equal(a.statistics().rtcpPacketsSent, 1);
  assert.equal(a.send(Uint8Array.of(3), { timestampIncrement: 160 }), null);
});

test('RFC 3550 §11: an odd RTP port is refused; without a remote nothing is sent', async () => {
  await assert.rejects(openSession({ localPort: 20001 }), /odd/);
  const session = await openSession();
  try {
    assert.equal(session.send(Uint8Array.of(1), { timestampIncrement: 160 }), null);
    assert.equal(session.statistics().packetsSent, 0);
  } finally {
    await session.close();
  }
});
