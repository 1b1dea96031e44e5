/**
 * Interop: tshark (Wireshark's dissectors, an independent implementation)
 * decodes the RTP and RTCP we put on the wire with the field values we meant.
 * Live capture on `lo` when allowed; otherwise a pcap written from the
 * datagrams a loopback peer received. Skipped when tshark is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RtpSession } from '../../../../firmware/media/session/rtp-session.ts';
import type { RtpPacket } from '../../../../firmware/media/types.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { readHexFixture } from '../../../support/hex-fixture.ts';
import { pcapFile, type PcapUdpDatagram } from '../../../support/pcap-writer.ts';
import { makeTestTempDir } from '../../../support/test-temp-dir.ts';
import { decodeFields, findTshark, startLoopbackCapture, type LiveCapture } from '../../../support/tshark.ts';
import { settle, UdpPeer } from '../../../support/udp-peer.ts';

const tshark = findTshark();
const SKIP = tshark ? false : 'tshark is not installed (Debian package tshark): interop check skipped';

const hex32 = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

test('RFC 3550 interop: tshark decodes the RTP, SR, SDES and BYE our session sends, field by field', { skip: SKIP }, async (t) => {
  if (!tshark) return;
  const dir = await makeTestTempDir('rtp-tshark');
  const rtpPeer = await UdpPeer.open();
  const rtcpPeer = await UdpPeer.open();
  const clock = new FakeClock();
  const session = await RtpSession.open({
    localAddress: '127.0.0.1',
    payloadType: 0,
    clockRateHz: 8000,
    cname: 'interop@127.0.0.1',
    clock,
    random: () => 0.5,
    portRange: { minPort: 20000, maxPort: 32000 },
    remote: { address: '127.0.0.1', rtpPort: rtpPeer.port, rtcpPort: rtcpPeer.port },
  });
  t.after(async () => {
    await session.close();
    await Promise.all([rtpPeer.close(), rtcpPeer.close()]);
  });

  const livePath = join(dir, 'live.pcap');
  let capture: LiveCapture | null = null;
  try {
    // DESKPHONE_TSHARK_NO_CAPTURE=1 exercises the written-pcap path on machines that can capture.
    if (process.env.DESKPHONE_TSHARK_NO_CAPTURE) throw new Error('DESKPHONE_TSHARK_NO_CAPTURE is set');
    capture = await startLoopbackCapture({ tshark, ports: [rtpPeer.port, rtcpPeer.port], pcapPath: livePath, maxDurationSeconds: 20 });
    await settle(500); // the capture filter is attached once dumpcap reports
  } catch (error) {
    t.diagnostic(`live capture unavailable (${error instanceof Error ? error.message : String(error)}); decoding a written pcap instead`);
  }

  // 4 audio packets, a DTMF-style packet with another PT, silence skipped, a new talk spurt.
  const sent: RtpPacket[] = [];
  const push = (packet: RtpPacket | null): void => {
    assert.ok(packet);
    sent.push(packet);
  };
  for (let i = 0; i < 4; i++) {
    push(session.send(new Uint8Array(160).fill(0xd5), { timestampIncrement: 160 }));
    clock.advance(20);
  }
  push(session.send(Uint8Array.of(1, 0x8a, 0, 160), { timestampIncrement: 0, payloadType: 101, marker: true }));
  session.sender.skip(800);
  push(session.send(new Uint8Array(160).fill(0xff), { timestampIncrement: 160 }));
  const due = clock.nextDueInMs();
  assert.ok(due !== undefined);
  clock.advance(due); // SR + SDES
  await session.close('interop done'); // SR + SDES + BYE

  const received: PcapUdpDatagram[] = [];
  const rtpDatagrams = await Promise.all(sent.map(() => rtpPeer.next()));
  const rtcpDatagrams = [await rtcpPeer.next(), await rtcpPeer.next()];
  for (const [datagrams, port] of [[rtpDatagrams, rtpPeer.port], [rtcpDatagrams, rtcpPeer.port]] as const) {
    for (const datagram of datagrams) {
      received.push({ sourceAddress: '127.0.0.1', sourcePort: datagram.from.port, destinationAddress: '127.0.0.1', destinationPort: port, payload: datagram.data, timeMs: Date.now() });
    }
  }
  let pcapPath = livePath;
  if (capture) {
    await settle(200);
    await capture.stop();
  } else {
    pcapPath = join(dir, 'written.pcap');
    await writeFile(pcapPath, pcapFile(received));
  }

  const decodeAs = [`udp.port==${rtpPeer.port},rtp`, `udp.port==${rtcpPeer.port},rtcp`];
  const rtpRows = await decodeFields({ tshark, pcapPath, decodeAs, filter: `rtp && udp.dstport==${rtpPeer.port}`, fields: ['rtp.seq', 'rtp.timestamp', 'rtp.p_type', 'rtp.ssrc', 'rtp.marker', 'udp.srcport'] });
  assert.deepEqual(
    rtpRows,
    sent.map((p) => [String(p.sequenceNumber), String(p.timestamp), String(p.payloadType), hex32(p.ssrc), p.marker ? '1' : '0', String(session.localRtpPort)]),
  );
  assert.deepEqual(sent.map((p) => p.marker), [true, false, false, false, true, true]);

  const rtcpRows = await decodeFields({
    tshark,
    pcapPath,
    decodeAs,
    filter: `rtcp && udp.dstport==${rtcpPeer.port}`,
    fields: ['rtcp.pt', 'rtcp.senderssrc', 'rtcp.sender.packetcount', 'rtcp.sender.octetcount', 'rtcp.sdes.text', 'rtcp.ssrc.identifier', 'udp.srcport'],
  });
  const ssrc = hex32(session.sender.ssrc);
  assert.deepEqual(rtcpRows, [
    ['200,202', ssrc, '6', String(4 * 160 + 4 + 160), 'interop@127.0.0.1', ssrc, String(session.localRtcpPort)],
    // tshark files the BYE reason under rtcp.sdes.text too.
    ['200,202,203', ssrc, '6', String(4 * 160 + 4 + 160), 'interop@127.0.0.1,interop done', `${ssrc},${ssrc}`, String(session.localRtcpPort)],
  ]);
  const malformed = await decodeFields({ tshark, pcapPath, decodeAs, filter: '_ws.malformed || _ws.expert.severity >= warning', fields: ['frame.number', '_ws.expert.message'] });
  assert.deepEqual(malformed, [], 'tshark flags nothing as malformed or suspicious');
});

test('fixtures cross-checked: tshark decodes our hand-written RTP and RTCP fixture files as their comments say', { skip: SKIP }, async () => {
  if (!tshark) return;
  const dir = await makeTestTempDir('rtp-fixtures');
  const rtpFixtures = ['marker-pcmu', 'csrcs', 'header-extension', 'padding', 'max-sequence-timestamp', 'everything'];
  const rtcpFixtures = ['sr-one-block', 'rr-negative-lost', 'sdes-cname-tool', 'bye-reason', 'compound-sr-sdes', 'compound-rr-sdes-bye'];
  const datagram = (payload: Uint8Array, port: number, i: number): PcapUdpDatagram => ({
    sourceAddress: '127.0.0.1',
    sourcePort: 40000 + i,
    destinationAddress: '127.0.0.1',
    destinationPort: port,
    payload,
    timeMs: 1_700_000_000_000 + i,
  });
  const pcapPath = join(dir, 'fixtures.pcap');
  await writeFile(
    pcapPath,
    pcapFile([
      ...rtpFixtures.map((name, i) => datagram(readHexFixture(`rtp/${name}.hex`), 5004, i)),
      ...rtcpFixtures.map((name, i) => datagram(readHexFixture(`rtcp/${name}.hex`), 5005, 100 + i)),
    ]),
  );
  const decodeAs = ['udp.port==5004,rtp', 'udp.port==5005,rtcp'];
  const rtpRows = await decodeFields({
    tshark,
    pcapPath,
    decodeAs,
    filter: 'rtp',
    fields: ['rtp.seq', 'rtp.timestamp', 'rtp.p_type', 'rtp.ssrc', 'rtp.marker', 'rtp.csrc.item', 'rtp.ext.profile', 'rtp.padding.count'],
  });
  assert.deepEqual(rtpRows, [
    ['4660', '2560', '0', '0xdeadbeef', '1', '', '', ''],
    ['7', '123456', '8', '0x11223344', '0', '0x0a0b0c0d,0x01020304', '', ''],
    ['43981', '1000', '9', '0x00000001', '0', '', '0xbede', ''],
    ['1', '160', '18', '0x12345678', '0', '', '', '5'],
    ['65535', '4294967295', '127', '0xffffffff', '1', '', '', ''],
    ['0', '2147483648', '96', '0x01020304', '1', '0xcafebabe', '0x0042', '3'],
  ]);
  const rtcpRows = await decodeFields({
    tshark,
    pcapPath,
    decodeAs,
    filter: 'rtcp',
    fields: ['rtcp.pt', 'rtcp.sdes.text', 'rtcp.ssrc.fraction', 'rtcp.ssrc.cum_nr', 'rtcp.ssrc.jitter', 'rtcp.ssrc.lsr', 'rtcp.sender.packetcount'],
  });
  assert.deepEqual(rtcpRows, [
    ['200', '', '25', '12', '42', String(0x2b3c8000), '100'],
    ['201', '', '255', '-1', '256', '0', ''],
    ['202', 'user@127.0.0.1,deskphone', '', '', '', '', ''],
    ['203', 'shutdown', '', '', '', '', ''], // the BYE reason, under rtcp.sdes.text
    ['200,202', 'a@example', '', '', '', '', '1'],
    ['201,202,203', 'b@ex', '', '', '', '', ''],
  ]);
  const malformed = await decodeFields({ tshark, pcapPath, decodeAs, filter: '_ws.malformed || _ws.expert.severity >= warning', fields: ['frame.number', '_ws.expert.message'] });
  assert.deepEqual(malformed, []);
});
