/**
 * Two MediaStreams through a seeded UDP impairment relay on loopback: 10 %
 * loss and 100 ± 40 ms (Gaussian σ) one-way delay in both directions, so
 * packets also arrive out of order. B must keep playing A's 1 kHz tone:
 * losses concealed, no silent gap beyond what the jitter buffer's
 * concealment (20 ms at full level, then a 60 ms fade) lets through, and the
 * per-call statistics must report the loss, jitter and RTT the relay made.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatFrames, longestSilentRunMs, silentMs, toneAmplitude } from '../../support/media/tone-analysis.ts';
import { negotiatedCodec, openStreamPair, runFor, type CodecName } from '../../support/media/media-stream-pair.ts';
import { UdpImpairmentRelay, type Impairment } from '../../support/udp-impairment-relay.ts';

const RUN_MS = 10_000;
const impairment: Impairment = { lossRate: 0.1, delayMs: 100, jitterMs: 40, seed: 42 };

for (const name of ['PCMU', 'G722'] as const satisfies readonly CodecName[]) {
  test(`${name} through 10 % loss and 40 ms jitter: the tone plays on, losses concealed, statistics report the network`, async (t) => {
    const codec = await negotiatedCodec(name);
    assert.ok(codec);
    const deviceRateHz = 8000;
    let relay: UdpImpairmentRelay | undefined;
    const pair = await openStreamPair({ codec, deviceRateHz, common: { driftCompensation: false, rtcpMux: true } }, async (a, b) => {
      relay = await UdpImpairmentRelay.open({
        a: { address: '127.0.0.1', port: a.localRtpPort },
        b: { address: '127.0.0.1', port: b.localRtpPort },
        aToB: impairment,
        bToA: { ...impairment, seed: impairment.seed + 1 },
      });
      return { aRemotePort: relay.portForA, bRemotePort: relay.portForB };
    });
    let statistics;
    try {
      await runFor(RUN_MS);
      statistics = pair.b.stream.statistics();
    } finally {
      await pair.close();
      await relay?.close();
    }
    assert.ok(relay);
    const network = relay.statistics().aToB;
    const played = concatFrames(pair.b.sink.recordedFrames());
    const toneStart = played.findIndex((sample) => Math.abs(sample) > 1000);
    assert.ok(toneStart >= 0, 'B played the tone');
    // From 1 s after the tone first sounds (the jitter buffer has learnt the path) to 0.2 s before the end.
    const analysed = played.subarray(toneStart + deviceRateHz, played.length - deviceRateHz / 5);
    const amplitude = toneAmplitude(concatFrames(pair.a.source.deliveredFrames()).subarray(0, deviceRateHz), { frequencyHz: 1000, sampleRateHz: deviceRateHz });
    // Silent: a 5 ms window more than 30 dB below the tone (the concealment's fade crosses this 58 ms into its 60 ms).
    const silence = { sampleRateHz: deviceRateHz, windowMs: 5, thresholdRms: (amplitude / Math.SQRT2) * 10 ** (-30 / 20) };
    const longestGapMs = longestSilentRunMs(analysed, silence);
    const totalSilentMs = silentMs(analysed, silence);
    const analysedMs = (analysed.length * 1000) / deviceRateHz;
    const sentLossPercent = (network.dropped * 100) / network.received;
    const droppedMs = network.dropped * 20;
    t.diagnostic(
      `${name}: relay A→B dropped ${network.dropped}/${network.received} (${sentLossPercent.toFixed(1)} %, longest run ${network.longestDropRun}), ` +
        `reordered ${network.reordered}, delay mean ${network.meanDelayMs.toFixed(0)} ms max ${network.maxDelayMs.toFixed(0)} ms`,
    );
    t.diagnostic(
      `${name}: statistics() loss ${statistics.lossPercent.toFixed(1)} %, jitter ${statistics.jitterMs.toFixed(1)} ms, RTT ${statistics.roundTripTimeMs?.toFixed(0)} ms, ` +
        `target ${statistics.targetDelayMs.toFixed(0)} ms, buffer ${statistics.bufferDelayMs.toFixed(0)} ms, concealed ${statistics.concealedMs.toFixed(0)} ms ` +
        `(dropped audio ${droppedMs} ms), late ${statistics.packetsLate}; output: longest gap ${longestGapMs} ms, silent ${totalSilentMs} ms of ${analysedMs.toFixed(0)} ms`,
    );
    // The relay really impaired the stream.
    assert.ok(network.dropped > 0 && network.reordered > 0);
    // What the UI shows matches what the network did.
    assert.ok(Math.abs(statistics.lossPercent - sentLossPercent) <= 2.5, `reported loss ${statistics.lossPercent} % vs ${sentLossPercent} % dropped`);
    assert.ok(statistics.jitterMs >= 25 && statistics.jitterMs <= 80, `jitter ${statistics.jitterMs} ms for σ = 40 ms`);
    // One RTCP sample: two one-way delays of 100 ± 40 ms, i.e. 200 ms ± 57 (σ), within ±2.8σ here; bare loopback gives ~1 ms.
    const rtt = statistics.roundTripTimeMs;
    assert.ok(rtt !== null && rtt >= 40 && rtt <= 360, `RTT ${rtt} ms through 2 × (100 ± 40) ms`);
    // Losses were concealed, not played as silence.
    assert.ok(statistics.concealedMs >= droppedMs * 0.8, `concealed ${statistics.concealedMs} ms for ${droppedMs} ms dropped`);
    assert.ok(statistics.targetDelayMs >= 60, `target ${statistics.targetDelayMs} ms adapted to the jitter`);
    // No gap beyond concealment: silence only where more than 4 packets in a row were missing, and short.
    assert.ok(longestGapMs <= 60, `longest silent gap ${longestGapMs} ms`);
    assert.ok(totalSilentMs <= analysedMs * 0.01, `silent ${totalSilentMs} ms of ${analysedMs} ms`);
  });
}
