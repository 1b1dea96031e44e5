/**
 * Interop with independent implementations (Debian's tshark and ffmpeg):
 *   (a) the RTP our MediaStream sends (1 kHz tone in) is captured on `lo` by
 *       tshark (or, when it may not capture, written to a pcap from what a
 *       plain UDP socket received), its payloads extracted by tshark
 *       (`-T fields -e rtp.payload`) and decoded by ffmpeg (`-f mulaw|alaw|g722`):
 *       a 1 kHz tone at the level our microphone heard;
 *   (b) ffmpeg sends RTP (`-f rtp`, a 1 kHz lavfi sine at 1/8 of full scale)
 *       to a MediaStream, which must play a 1 kHz tone at that level.
 * Skipped with a message when ffmpeg or tshark is missing.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { systemClock } from '../../../firmware/core/clock.ts';
import { MediaStream } from '../../../firmware/media/pipeline/media-stream.ts';
import { audioFormat } from '../../../hal/audio/audio-format.ts';
import { NullSink } from '../../../hal/audio/simulated/null-sink.ts';
import { NullSource } from '../../../hal/audio/simulated/null-source.ts';
import { ToneSource } from '../../../hal/audio/simulated/tone-source.ts';
import { findBinary } from '../../support/find-binary.ts';
import { negotiatedCodec, runFor, type CodecName } from '../../support/media/media-stream-pair.ts';
import { concatFrames, toneAmplitude, toneFrequencyHz } from '../../support/media/tone-analysis.ts';
import { pcapFile, type PcapUdpDatagram } from '../../support/pcap-writer.ts';
import { makeTestTempDir } from '../../support/test-temp-dir.ts';
import { decodeFields, findTshark, startLoopbackCapture, type LiveCapture } from '../../support/tshark.ts';
import { UdpPeer } from '../../support/udp-peer.ts';

const execFileAsync = promisify(execFile);

function optionalBinary(name: string, debianPackage: string): string | null {
  try {
    return findBinary({ name, debianPackage });
  } catch {
    return null;
  }
}

const ffmpeg = optionalBinary('ffmpeg', 'ffmpeg');
const tshark = findTshark();
const SKIP_A = !ffmpeg || !tshark ? `needs ffmpeg and tshark (Debian packages ffmpeg, tshark): ${ffmpeg ? '' : 'ffmpeg '}${tshark ? '' : 'tshark '}missing` : false;
const SKIP_B = !ffmpeg ? 'needs ffmpeg (Debian package ffmpeg), which is missing' : false;

/** ffmpeg's raw demuxer and codec names for our payload formats. */
const FFMPEG_FORMAT: Record<Exclude<CodecName, 'opus'>, { demuxer: string; encoder: string }> = {
  PCMU: { demuxer: 'mulaw', encoder: 'pcm_mulaw' },
  PCMA: { demuxer: 'alaw', encoder: 'pcm_alaw' },
  G722: { demuxer: 'g722', encoder: 'g722' },
};

const RATE_HZ: Record<Exclude<CodecName, 'opus'>, number> = { PCMU: 8000, PCMA: 8000, G722: 16000 };

function int16FromBytes(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(Math.floor(bytes.byteLength / 2));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(2 * i, true);
  return out;
}

for (const name of ['PCMU', 'PCMA', 'G722'] as const) {
  test(`(a) ${name}: tshark extracts the payloads our MediaStream sent, ffmpeg decodes a 1 kHz tone at our level`, { skip: SKIP_A }, async (t) => {
    if (!ffmpeg || !tshark) return;
    const codec = await negotiatedCodec(name);
    assert.ok(codec);
    const rateHz = RATE_HZ[name];
    const dir = await makeTestTempDir(`interop-${name.toLowerCase()}`);
    const peer = await UdpPeer.open();
    const format = audioFormat({ sampleRateHz: rateHz });
    const source = new ToneSource({ format, clock: systemClock, frequencyHz: 1000, levelDbfs: -10 });
    const sink = new NullSink({ format, clock: systemClock });
    const stream = await MediaStream.open({
      codec,
      localAddress: '127.0.0.1',
      remote: { address: '127.0.0.1', rtpPort: peer.port },
      cname: 'interop@127.0.0.1',
      audio: { format, source, sink },
      direction: 'sendonly',
      driftCompensation: false,
    });
    const livePath = join(dir, 'live.pcap');
    let capture: LiveCapture | null = null;
    try {
      if (process.env.DESKPHONE_TSHARK_NO_CAPTURE) throw new Error('DESKPHONE_TSHARK_NO_CAPTURE is set');
      capture = await startLoopbackCapture({ tshark, ports: [peer.port], pcapPath: livePath, maxDurationSeconds: 20 });
      await runFor(500);
    } catch (error) {
      t.diagnostic(`live capture unavailable (${error instanceof Error ? error.message : String(error)}); decoding a written pcap instead`);
    }
    const datagrams: PcapUdpDatagram[] = [];
    try {
      await sink.start();
      await source.start();
      stream.start();
      await runFor(2000);
    } finally {
      await stream.close();
      await source.stop();
      await sink.stop();
      await runFor(100);
      while (peer.pending > 0) {
        const datagram = await peer.next();
        datagrams.push({ sourceAddress: '127.0.0.1', sourcePort: datagram.from.port, destinationAddress: '127.0.0.1', destinationPort: peer.port, payload: datagram.data, timeMs: Date.now() });
      }
      await peer.close();
    }
    let pcapPath = livePath;
    if (capture) {
      await capture.stop();
    } else {
      pcapPath = join(dir, 'written.pcap');
      await writeFile(pcapPath, pcapFile(datagrams));
    }
    t.diagnostic(`${capture ? 'live capture on lo' : 'written pcap'}: ${pcapPath}`);

    const rows = await decodeFields({
      tshark,
      pcapPath,
      decodeAs: [`udp.port==${peer.port},rtp`],
      filter: `rtp && udp.dstport==${peer.port} && rtp.p_type==${codec.descriptor.payloadType}`,
      fields: ['rtp.seq', 'rtp.timestamp', 'rtp.payload'],
    });
    assert.ok(rows.length >= 80, `tshark decoded ${rows.length} RTP packets`);
    const packets = rows.map(([seq, timestamp, payload]) => ({ seq: Number(seq), timestamp: Number(timestamp), payload: Buffer.from((payload ?? '').replaceAll(':', ''), 'hex') }));
    for (let i = 1; i < packets.length; i++) {
      assert.equal(packets[i]!.seq, (packets[i - 1]!.seq + 1) & 0xffff, 'consecutive sequence numbers');
      assert.equal((packets[i]!.timestamp - packets[i - 1]!.timestamp) >>> 0, 160, `${name}: +160 per 20 ms`);
      assert.equal(packets[i]!.payload.byteLength, 160);
    }
    const payloadPath = join(dir, `payload.${FFMPEG_FORMAT[name].demuxer}`);
    const decodedPath = join(dir, 'decoded.raw');
    await writeFile(payloadPath, Buffer.concat(packets.map((p) => p.payload)));
    const inputArgs = name === 'G722' ? ['-f', 'g722'] : ['-f', FFMPEG_FORMAT[name].demuxer, '-ar', '8000', '-ac', '1'];
    await execFileAsync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...inputArgs, '-i', payloadPath, '-f', 's16le', '-acodec', 'pcm_s16le', '-ar', String(rateHz), decodedPath]);
    const decoded = int16FromBytes(await readFile(decodedPath));
    const tail = decoded.subarray(decoded.length - rateHz);
    const frequencyHz = toneFrequencyHz(tail, rateHz);
    const inputAmplitude = toneAmplitude(concatFrames(source.deliveredFrames()).subarray(0, rateHz), { frequencyHz: 1000, sampleRateHz: rateHz });
    const levelDb = 20 * Math.log10(toneAmplitude(tail, { frequencyHz, sampleRateHz: rateHz }) / inputAmplitude);
    t.diagnostic(`ffmpeg decoded ${decoded.length} samples of ${packets.length} packets: ${frequencyHz.toFixed(2)} Hz, ${levelDb.toFixed(2)} dB vs our microphone`);
    assert.equal(decoded.length, (packets.length * rateHz) / 50, 'one 20 ms frame per packet');
    assert.ok(Math.abs(frequencyHz - 1000) <= 1, `frequency ${frequencyHz} Hz`);
    assert.ok(Math.abs(levelDb) <= 1, `level ${levelDb} dB`);
  });
}

for (const name of ['PCMU', 'PCMA', 'G722'] as const) {
  test(`(b) ${name}: ffmpeg -f rtp sends a 1 kHz tone to our MediaStream, which plays it at 1 kHz and ffmpeg's level`, { skip: SKIP_B }, async (t) => {
    if (!ffmpeg) return;
    const codec = await negotiatedCodec(name);
    assert.ok(codec);
    const rateHz = RATE_HZ[name];
    const format = audioFormat({ sampleRateHz: rateHz });
    const source = new NullSource({ format, clock: systemClock });
    const sink = new NullSink({ format, clock: systemClock });
    const stream = await MediaStream.open({
      codec,
      localAddress: '127.0.0.1',
      remote: null,
      cname: 'interop@127.0.0.1',
      audio: { format, source, sink },
      direction: 'recvonly',
      driftCompensation: false,
    });
    let stderr = '';
    try {
      await sink.start();
      await source.start();
      stream.start();
      const frameSamples = rateHz / 50;
      const child = spawn(ffmpeg, [
        '-hide_banner', '-loglevel', 'error', '-re',
        '-f', 'lavfi', '-i', `sine=frequency=1000:sample_rate=${rateHz}:samples_per_frame=${frameSamples}:duration=2.5`,
        '-ar', String(rateHz), '-acodec', FFMPEG_FORMAT[name].encoder,
        '-f', 'rtp', `rtp://127.0.0.1:${stream.localRtpPort}?rtcpport=${stream.localRtcpPort}`,
      ], { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
      assert.equal(code, 0, `ffmpeg failed: ${stderr}`);
      await runFor(300);
    } finally {
      await stream.close();
      await source.stop();
      await sink.stop();
    }
    const statistics = stream.statistics();
    const played = concatFrames(sink.recordedFrames());
    // The last full second of the tone: it ends ~300 ms + the jitter buffer's delay before the end.
    const end = played.length - Math.round(0.5 * rateHz);
    const tail = played.subarray(end - rateHz, end);
    const frequencyHz = toneFrequencyHz(tail, rateHz);
    // lavfi's sine source has an amplitude of 1/8 of full scale.
    const levelDb = 20 * Math.log10(toneAmplitude(tail, { frequencyHz, sampleRateHz: rateHz }) / (32768 / 8));
    t.diagnostic(
      `received ${statistics.packetsReceived} packets from ffmpeg (loss ${statistics.lossPercent.toFixed(1)} %, jitter ${statistics.jitterMs.toFixed(2)} ms); ` +
        `played ${frequencyHz.toFixed(2)} Hz at ${levelDb.toFixed(2)} dB vs ffmpeg's sine`,
    );
    assert.ok(statistics.packetsReceived >= 100, `received ${statistics.packetsReceived} packets`);
    assert.equal(statistics.rtp.latched, true, 'latched onto ffmpeg');
    assert.ok(Math.abs(frequencyHz - 1000) <= 1, `frequency ${frequencyHz} Hz`);
    assert.ok(Math.abs(levelDb) <= 1, `level ${levelDb} dB`);
  });
}
