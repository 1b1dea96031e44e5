/**
 * Two MediaStreams on 127.0.0.1: A's microphone hears a 1 kHz tone (the
 * `tone` twin), B's loudspeaker (the `null` twin, which keeps what it plays)
 * must play a 1 kHz tone at the level A heard, through each codec, with and
 * without resampling between the device and the codec.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatFrames, toneAmplitude, toneFrequencyHz } from '../../support/media/tone-analysis.ts';
import { negotiatedCodec, openStreamPair, runFor, type CodecName } from '../../support/media/media-stream-pair.ts';

interface Case {
  readonly codec: CodecName;
  readonly deviceRateHz: number;
}

const cases: readonly Case[] = [
  { codec: 'PCMU', deviceRateHz: 8000 },
  { codec: 'PCMA', deviceRateHz: 8000 },
  { codec: 'G722', deviceRateHz: 16000 },
  { codec: 'G722', deviceRateHz: 8000 },
  { codec: 'PCMU', deviceRateHz: 16000 },
  { codec: 'opus', deviceRateHz: 16000 },
];

const RUN_MS = 2500;
const ANALYSED_MS = 1000;

for (const { codec: name, deviceRateHz } of cases) {
  test(`${name} with ${deviceRateHz / 1000} kHz devices: a 1 kHz tone in, a 1 kHz tone out at the same level`, async (t) => {
    const codec = await negotiatedCodec(name);
    if (codec === null) {
      t.skip(`${name} is not available (npm install opusscript)`);
      return;
    }
    // The simulated devices run on the system clock itself: there is no drift to follow, and the
    // media loop's drift controller wobbles the playback rate by up to ±1 % while it settles in
    // the first ~8 s (measured; see docs/media.md), which would move the tone by up to 10 Hz.
    const pair = await openStreamPair({ codec, deviceRateHz, common: { driftCompensation: false } });
    try {
      await runFor(RUN_MS);
    } finally {
      await pair.close();
    }
    const sent = concatFrames(pair.a.source.deliveredFrames());
    const played = concatFrames(pair.b.sink.recordedFrames());
    const analysed = Math.round((ANALYSED_MS * deviceRateHz) / 1000);
    // The last second played (the first ones hold the priming silence and the jitter buffer's start).
    const tail = played.subarray(played.length - analysed - deviceRateHz / 10, played.length - deviceRateHz / 10);
    const frequencyHz = toneFrequencyHz(tail, deviceRateHz);
    const inputAmplitude = toneAmplitude(sent.subarray(sent.length - analysed), { frequencyHz: 1000, sampleRateHz: deviceRateHz });
    const outputAmplitude = toneAmplitude(tail, { frequencyHz, sampleRateHz: deviceRateHz });
    const levelDb = 20 * Math.log10(outputAmplitude / inputAmplitude);
    const statistics = pair.b.stream.statistics();
    t.diagnostic(
      `${name} @ ${deviceRateHz} Hz: ${frequencyHz.toFixed(2)} Hz, level ${levelDb >= 0 ? '+' : ''}${levelDb.toFixed(2)} dB vs input; ` +
        `received ${statistics.packetsReceived} packets, loss ${statistics.lossPercent.toFixed(1)} %, jitter ${statistics.jitterMs.toFixed(2)} ms, ` +
        `buffer ${statistics.bufferDelayMs.toFixed(0)} ms (target ${statistics.targetDelayMs.toFixed(0)}), concealed ${statistics.concealedMs.toFixed(0)} ms`,
    );
    assert.ok(statistics.packetsReceived >= (RUN_MS / 20) * 0.8, `B received ${statistics.packetsReceived} packets`);
    assert.equal(statistics.codec, codec.descriptor.name);
    assert.ok(Math.abs(frequencyHz - 1000) <= 3, `frequency ${frequencyHz} Hz`);
    assert.ok(Math.abs(levelDb) <= 1, `level ${levelDb} dB`);
  });
}
