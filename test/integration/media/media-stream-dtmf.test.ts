/**
 * DTMF end to end between two MediaStreams on 127.0.0.1: RFC 4733 events on
 * the negotiated payload type (also through 10 % loss and 40 ms jitter), and
 * in-band tones when no telephone-event was negotiated. Each digit must be
 * reported once, in order. A raw UDP peer checks the RTP our stream puts on
 * the wire around an event (payload type, marker, timestamps).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../../../firmware/core/clock.ts';
import { decodeTelephoneEvents } from '../../../firmware/media/dtmf/telephone-event-payload.ts';
import { MediaStream } from '../../../firmware/media/pipeline/media-stream.ts';
import type { MediaStreamEvent } from '../../../firmware/media/pipeline/media-stream-events.ts';
import { parseRtpPacket } from '../../../firmware/media/rtp/rtp-packet.ts';
import type { RtpPacket } from '../../../firmware/media/types.ts';
import { audioFormat } from '../../../hal/audio/audio-format.ts';
import { NullSink } from '../../../hal/audio/simulated/null-sink.ts';
import { NullSource } from '../../../hal/audio/simulated/null-source.ts';
import { negotiatedCodec, openStreamPair, runFor, type NegotiatedCodec } from '../../support/media/media-stream-pair.ts';
import { UdpImpairmentRelay } from '../../support/udp-impairment-relay.ts';
import { UdpPeer } from '../../support/udp-peer.ts';

type DtmfEvent = Extract<MediaStreamEvent, { type: 'dtmf-received' }>;

const DIGITS = '159#*0D';

async function exchangeDigits(codec: NegotiatedCodec, telephoneEventPayloadType: number | null, viaRelay: boolean): Promise<{ received: DtmfEvent[]; sent: number }> {
  let relay: UdpImpairmentRelay | undefined;
  const impairment = { lossRate: 0.1, delayMs: 60, jitterMs: 40, seed: 7 };
  const route = viaRelay
    ? async (a: MediaStream, b: MediaStream) => {
        relay = await UdpImpairmentRelay.open({
          a: { address: '127.0.0.1', port: a.localRtpPort },
          b: { address: '127.0.0.1', port: b.localRtpPort },
          aToB: impairment,
          bToA: { ...impairment, seed: 8 },
        });
        return { aRemotePort: relay.portForA, bRemotePort: relay.portForB };
      }
    : undefined;
  const pair = await openStreamPair(
    { codec, deviceRateHz: codec.descriptor.sampleRateHz, toneHz: null, common: { telephoneEventPayloadType, driftCompensation: false, rtcpMux: viaRelay } },
    route,
  );
  const received: DtmfEvent[] = [];
  pair.b.stream.events.on('dtmf-received', (event) => received.push(event));
  try {
    await runFor(500);
    pair.a.stream.sendDtmf(DIGITS);
    await runFor(DIGITS.length * 200 + 1000);
  } finally {
    await pair.close();
    await relay?.close();
  }
  return { received, sent: pair.a.stream.statistics().dtmfSent };
}

test('RFC 4733: digits sent with the negotiated payload type arrive once each, in order', async (t) => {
  const codec = await negotiatedCodec('PCMU');
  assert.ok(codec);
  const { received, sent } = await exchangeDigits(codec, 101, false);
  t.diagnostic(received.map((e) => `${e.digit} ${e.durationMs} ms ${e.endedBy}`).join(', '));
  assert.equal(sent, DIGITS.length);
  assert.equal(received.map((e) => e.digit).join(''), DIGITS);
  for (const event of received) {
    assert.equal(event.source, 'rfc4733');
    assert.equal(event.endedBy, 'end-bit');
    assert.equal(event.durationMs, 100);
  }
});

test('RFC 4733 through 10 % loss and 40 ms jitter (G.722): still once each, in order', async (t) => {
  const codec = await negotiatedCodec('G722');
  assert.ok(codec);
  const { received } = await exchangeDigits(codec, 101, true);
  t.diagnostic(received.map((e) => `${e.digit} ${e.durationMs} ms ${e.endedBy}`).join(', '));
  assert.equal(received.map((e) => e.digit).join(''), DIGITS);
  assert.ok(received.every((e) => e.source === 'rfc4733'));
});

for (const name of ['PCMU', 'G722'] as const) {
  test(`in-band (${name}, no telephone-event negotiated): tones sent in the audio, detected once each, in order`, async (t) => {
    const codec = await negotiatedCodec(name);
    assert.ok(codec);
    const { received, sent } = await exchangeDigits(codec, null, false);
    t.diagnostic(received.map((e) => `${e.digit} ${e.durationMs} ms`).join(', '));
    assert.equal(sent, DIGITS.length);
    assert.equal(received.map((e) => e.digit).join(''), DIGITS);
    for (const event of received) {
      assert.equal(event.source, 'in-band');
      // 100 ms sent. The jitter buffer's start-up acceleration can trim a stationary tone by ~30 ms
      // (open: docs/media.md / issue 3); the digit must still last well above the detector's 40 ms minimum.
      assert.ok(event.durationMs >= 60 && event.durationMs <= 120, `${event.digit} lasted ${event.durationMs} ms`);
    }
  });
}

test('on the wire: audio +160 per 20 ms (G.722), an event on the negotiated PT with its marker and start timestamp, audio resuming with the marker', async () => {
  const codec = await negotiatedCodec('G722');
  assert.ok(codec);
  const peer = await UdpPeer.open();
  const format = audioFormat({ sampleRateHz: 16000 });
  const source = new NullSource({ format, clock: systemClock });
  const sink = new NullSink({ format, clock: systemClock });
  const stream = await MediaStream.open({
    codec,
    telephoneEventPayloadType: 98,
    localAddress: '127.0.0.1',
    remote: { address: '127.0.0.1', rtpPort: peer.port },
    cname: 'wire@127.0.0.1',
    audio: { format, source, sink },
    driftCompensation: false,
  });
  const packets: RtpPacket[] = [];
  try {
    await sink.start();
    await source.start();
    stream.start();
    await runFor(300);
    stream.sendDtmf('7', { durationMs: 120 });
    await runFor(600);
  } finally {
    await stream.close();
    await source.stop();
    await sink.stop();
    while (peer.pending > 0) {
      const parsed = parseRtpPacket((await peer.next()).data);
      if (parsed.ok) packets.push(parsed.packet);
    }
    await peer.close();
  }
  const audio = packets.filter((p) => p.payloadType === 9);
  const events = packets.filter((p) => p.payloadType === 98);
  assert.ok(audio.length >= 30 && events.length >= 4, `${audio.length} audio, ${events.length} event packets`);
  assert.ok(audio.every((p) => p.payload.byteLength === 160), 'G.722 20 ms = 160 octets');
  // Sequence numbers are consecutive over both payload types.
  for (let i = 1; i < packets.length; i++) assert.equal(packets[i]!.sequenceNumber, (packets[i - 1]!.sequenceNumber + 1) & 0xffff);
  // Audio timestamps advance by 160 per 20 ms frame (RFC 3551 §4.5.2), across the event too.
  for (let i = 1; i < audio.length; i++) assert.equal((audio[i]!.timestamp - audio[i - 1]!.timestamp) % 160, 0);
  const firstEvent = packets.findIndex((p) => p.payloadType === 98);
  const before = packets[firstEvent - 1]!;
  const eventStart = events[0]!.timestamp;
  assert.equal(eventStart, (before.timestamp + 160) >>> 0, 'the event starts at the next frame');
  assert.ok(events.every((p) => p.timestamp === eventStart), 'one timestamp for the whole event');
  assert.deepEqual(events.map((p) => p.marker), [true, ...events.slice(1).map(() => false)]);
  const blocks = events.map((p) => decodeTelephoneEvents(p.payload)?.[0]);
  assert.ok(blocks.every((b) => b?.event === 7));
  const ends = blocks.filter((b) => b?.end);
  assert.equal(ends.length, 3, 'the final packet is sent three times (RFC 4733 §2.5.1.4)');
  assert.ok(ends.every((b) => b?.durationUnits === 960), '120 ms at 8000 Hz');
  const resumed = packets[firstEvent + events.length]!;
  assert.equal(resumed.payloadType, 9);
  assert.equal(resumed.marker, true, 'audio after the event starts a talk spurt');
  const framesSkipped = (resumed.timestamp - eventStart) / 160;
  assert.ok(Number.isInteger(framesSkipped) && framesSkipped >= 6, `audio resumes ${framesSkipped} frames after the event start`);
  assert.equal(audio.filter((p) => p.marker).length, 2, 'marker on the first packet and after the event only');
});
