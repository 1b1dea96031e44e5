/**
 * What the call layer drives besides audio: mute (encoded silence or nothing
 * on the wire), hold directions (what is sent and what is played), local
 * tones into the loudspeaker, and the `stats` event.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../../../firmware/core/clock.ts';
import { g711 } from '../../../firmware/media/codecs/g711.ts';
import { MediaStream } from '../../../firmware/media/pipeline/media-stream.ts';
import type { MediaStreamOptions } from '../../../firmware/media/pipeline/media-stream-options.ts';
import { parseRtpPacket } from '../../../firmware/media/rtp/rtp-packet.ts';
import { goertzelAmplitude } from '../../../firmware/media/dtmf/goertzel.ts';
import { callProgressTone } from '../../../firmware/media/tones/call-progress-tones.ts';
import { dbm0ForSineAmplitude } from '../../../firmware/media/tones/dbm0.ts';
import type { RtpPacket } from '../../../firmware/media/types.ts';
import { audioFormat } from '../../../hal/audio/audio-format.ts';
import { NullSink } from '../../../hal/audio/simulated/null-sink.ts';
import { ToneSource } from '../../../hal/audio/simulated/tone-source.ts';
import { negotiatedCodec, openStreamPair, runFor } from '../../support/media/media-stream-pair.ts';
import { concatFrames, rmsOf } from '../../support/media/tone-analysis.ts';
import { UdpPeer } from '../../support/udp-peer.ts';

/** A PCMU stream hearing a 1 kHz tone and sending to a bare UDP peer; `during` runs while it streams. */
async function onTheWire(extra: Partial<MediaStreamOptions>, during: (stream: MediaStream) => Promise<void>): Promise<RtpPacket[]> {
  const codec = await negotiatedCodec('PCMU');
  assert.ok(codec);
  const peer = await UdpPeer.open();
  const format = audioFormat({ sampleRateHz: 8000 });
  const source = new ToneSource({ format, clock: systemClock, frequencyHz: 1000 });
  const sink = new NullSink({ format, clock: systemClock });
  const stream = await MediaStream.open({ codec, localAddress: '127.0.0.1', remote: { address: '127.0.0.1', rtpPort: peer.port }, cname: 'c@127.0.0.1', audio: { format, source, sink }, driftCompensation: false, ...extra });
  const packets: RtpPacket[] = [];
  try {
    await sink.start();
    await source.start();
    stream.start();
    await during(stream);
  } finally {
    await stream.close();
    await source.stop();
    await sink.stop();
    await runFor(50);
    while (peer.pending > 0) {
      const parsed = parseRtpPacket((await peer.next()).data);
      if (parsed.ok) packets.push(parsed.packet);
    }
    await peer.close();
  }
  return packets;
}

const SILENCE_OCTET = g711.encodeMuLaw(new Int16Array(1))[0];
const isSilence = (p: RtpPacket): boolean => p.payload.every((octet) => octet === SILENCE_OCTET);

test('mute (default): packets keep flowing, carrying encoded silence, then the tone again', async () => {
  let mutedFrom = 0;
  let mutedTo = 0;
  const packets = await onTheWire({}, async (stream) => {
    await runFor(300);
    mutedFrom = Date.now();
    stream.setMuted(true);
    assert.equal(stream.muted, true);
    await runFor(400);
    stream.setMuted(false);
    mutedTo = Date.now();
    await runFor(300);
  });
  assert.ok(mutedTo > mutedFrom);
  const silent = packets.slice(packets.findIndex((p) => !isSilence(p))).filter(isSilence).length;
  assert.ok(silent >= 15 && silent <= 22, `${silent} silent packets for 400 ms muted`);
  assert.ok(packets.length >= 45, `${packets.length} packets in 1 s`);
  // Timestamps run on without a gap: nothing was skipped.
  for (let i = 1; i < packets.length; i++) assert.equal((packets[i]!.timestamp - packets[i - 1]!.timestamp) >>> 0, 160);
  assert.ok(!isSilence(packets[packets.length - 1]!), 'the tone is back after unmute');
});

test("mute with muteMode 'suppress': no packets while muted; the first after has the marker and the skipped timestamps", async () => {
  const packets = await onTheWire({ muteMode: 'suppress' }, async (stream) => {
    await runFor(300);
    stream.setMuted(true);
    await runFor(400);
    stream.setMuted(false);
    await runFor(300);
  });
  const gaps = packets.slice(1).map((p, i) => ({ units: (p.timestamp - packets[i]!.timestamp) >>> 0, packet: p }));
  const jumps = gaps.filter((g) => g.units !== 160);
  assert.equal(jumps.length, 1, 'one gap in the timestamps');
  const jump = jumps[0]!;
  assert.ok(jump.units >= 160 * 18 && jump.units <= 160 * 23 && jump.units % 160 === 0, `timestamps skipped ${jump.units} units for ~400 ms`);
  assert.equal(jump.packet.marker, true);
  assert.deepEqual(packets.filter((p) => p.marker).length, 2, 'marker on the first packet and after the suppressed silence');
  // (The media loop's capture start-up sends silence until its queue is primed: look after the tone starts.)
  assert.equal(packets.slice(packets.findIndex((p) => !isSilence(p))).filter(isSilence).length, 0);
});

test('hold: recvonly and inactive send nothing; back to sendrecv resumes with the marker', async () => {
  const packets = await onTheWire({}, async (stream) => {
    await runFor(200);
    stream.setDirection('recvonly');
    await runFor(200);
    stream.setDirection('inactive');
    await runFor(200);
    assert.equal(stream.direction, 'inactive');
    stream.setDirection('sendrecv');
    await runFor(200);
  });
  const jumps = packets.slice(1).filter((p, i) => ((p.timestamp - packets[i]!.timestamp) >>> 0) !== 160);
  assert.equal(jumps.length, 1);
  assert.equal(jumps[0]!.marker, true);
  assert.ok(packets.length >= 16 && packets.length <= 24, `${packets.length} packets in 400 ms of sending`);
});

test('hold from our side (sendonly): we keep sending, but what arrives is not played', async () => {
  const codec = await negotiatedCodec('PCMU');
  assert.ok(codec);
  const pair = await openStreamPair({ codec, deviceRateHz: 8000, common: { driftCompensation: false }, b: { direction: 'sendonly' } });
  try {
    await runFor(800);
  } finally {
    await pair.close();
  }
  const played = concatFrames(pair.b.sink.recordedFrames());
  const statistics = pair.b.stream.statistics();
  assert.ok(statistics.packetsReceived >= 30, `B received ${statistics.packetsReceived} packets`);
  assert.equal(statistics.direction, 'sendonly');
  assert.equal(rmsOf(played), 0, 'B played nothing of what it received');
  assert.ok(pair.a.stream.statistics().packetsReceived >= 30, 'A still hears B');
});

test('local tones: US ringback (440 + 480 Hz at -19 dBm0) played into the loudspeaker, stopped on request', async (t) => {
  const codec = await negotiatedCodec('PCMU');
  assert.ok(codec);
  const pair = await openStreamPair({ codec, deviceRateHz: 8000, toneHz: null, common: { driftCompensation: false } });
  const stats: number[] = [];
  pair.b.stream.events.on('stats', (event) => stats.push(event.statistics.packetsReceived));
  let framesBeforeStop = 0;
  try {
    pair.b.stream.playTone(callProgressTone('us', 'ringback'));
    await runFor(1500);
    framesBeforeStop = pair.b.sink.recordedFrames().length;
    pair.b.stream.stopTone();
    await runFor(500);
  } finally {
    await pair.close();
  }
  const frames = pair.b.sink.recordedFrames();
  const played = concatFrames(frames.slice(0, framesBeforeStop));
  const start = played.findIndex((sample) => sample !== 0);
  assert.ok(start >= 0, 'the tone was played');
  const on = played.subarray(start + 400, start + 400 + 8000); // 1 s inside the 2 s "on" step
  const low = dbm0ForSineAmplitude(goertzelAmplitude(on, { frequencyHz: 440, sampleRateHz: 8000 }));
  const high = dbm0ForSineAmplitude(goertzelAmplitude(on, { frequencyHz: 480, sampleRateHz: 8000 }));
  t.diagnostic(`440 Hz at ${low.toFixed(2)} dBm0, 480 Hz at ${high.toFixed(2)} dBm0; stats events: ${stats.join(', ')}`);
  assert.ok(Math.abs(low + 19) <= 0.5 && Math.abs(high + 19) <= 0.5);
  assert.equal(rmsOf(concatFrames(frames.slice(framesBeforeStop + 5))), 0, 'silent after stopTone()');
  assert.ok(stats.length >= 1, 'a stats event per second');
});
