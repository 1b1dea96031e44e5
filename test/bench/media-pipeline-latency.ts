/**
 * End to end through the media pipeline (`MediaStream`, firmware/media/pipeline)
 * on loopback, in a real run: stream A on 127.0.0.1 captures from a simulated
 * paced microphone, stream B plays to a simulated paced loudspeaker; both on
 * the system clock (no FakeClock). Every 500 ms after a warm-up a 10 ms,
 * 1 kHz burst at −4 dBFS is injected into A's microphone; the delay is from
 * the capture of its first loud sample (device frame delivered at t_d covers
 * [t_d − frame, t_d]) to the moment that sample starts playing at B.
 *
 * That total includes B's jitter buffer (at its floor on loopback: one
 * packet + half a pull + the start-up level); the figure without it
 * subtracts the buffer's own average wait (bufferDelayMs − ptime) read as
 * each marker plays, which is an estimate, not the marker's own wait.
 */
import { systemClock } from '../../firmware/core/clock.ts';
import { MediaStream } from '../../firmware/media/pipeline/index.ts';
import type { CodecFactory } from '../../firmware/media/types.ts';
import { audioFormat } from '../../hal/audio/audio-format.ts';
import { NullSink } from '../../hal/audio/simulated/null-sink.ts';
import { NullSource } from '../../hal/audio/simulated/null-source.ts';
import { PTIME_MS } from './media-call-cpu.ts';
import { firstAbove, MarkerSink } from './media-loop-latency.ts';

export interface PipelineLatencyResult {
  readonly codec: string;
  readonly deviceRateHz: number;
  /** Microphone → loudspeaker, ms, over the markers. */
  readonly endToEnd: { readonly medianMs: number; readonly minMs: number; readonly maxMs: number; readonly count: number };
  /** B's jitter buffer at the end (stream statistics). */
  readonly bufferDelayMs: number;
  readonly targetDelayMs: number;
  /** Median over the markers of end to end minus (bufferDelayMs − ptime) read as each marker plays: the pipeline's own share, estimated. */
  readonly withoutJitterBufferMs: number;
}

function markerFrame(frameSamples: number, sampleRateHz: number): Int16Array {
  const frame = new Int16Array(frameSamples);
  const burstSamples = Math.round(sampleRateHz / 100); // 10 ms
  for (let i = 0; i < burstSamples; i++) frame[i] = Math.round(20000 * Math.sin((2 * Math.PI * 1000 * i) / sampleRateHz));
  return frame;
}

export interface PipelineLatencyOptions {
  readonly codec: { readonly descriptor: { readonly name: string } & CodecFactory['descriptor']; readonly factory: CodecFactory };
  /** Device rate (board default 16000; resampled to the codec's rate by the pipeline). */
  readonly deviceRateHz: number;
  /** Real time to run; markers from 2 s on. Default 6000 ms. */
  readonly runMs?: number;
}

export async function measurePipelineLatency(options: PipelineLatencyOptions): Promise<PipelineLatencyResult> {
  const format = audioFormat({ sampleRateHz: options.deviceRateHz, frameMs: PTIME_MS });
  const clock = systemClock;
  const microphone = new NullSource({ format, clock });
  const loudspeaker = new MarkerSink({ format, clock });
  const otherSink = new NullSink({ format, clock });
  const otherSource = new NullSource({ format, clock });
  const common = { codec: options.codec, localAddress: '127.0.0.1', remote: null, clock, statsIntervalMs: 0 } as const;
  const a = await MediaStream.open({ ...common, cname: 'bench-a@127.0.0.1', audio: { format, source: microphone, sink: otherSink } });
  let b: MediaStream | undefined;
  let timer: NodeJS.Timeout | undefined;
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    b = await MediaStream.open({ ...common, cname: 'bench-b@127.0.0.1', audio: { format, source: otherSource, sink: loudspeaker } });
    a.setRemote({ address: '127.0.0.1', rtpPort: b.localRtpPort, rtcpPort: b.localRtcpPort });
    b.setRemote({ address: '127.0.0.1', rtpPort: a.localRtpPort, rtcpPort: a.localRtcpPort });
    for (const device of [otherSink, loudspeaker, microphone, otherSource]) {
      await device.start();
      started.push(device);
    }
    a.start();
    b.start();

    const marker = markerFrame(format.frameSamples, format.sampleRateHz);
    const msPerSample = 1000 / format.sampleRateHz;
    const delays: number[] = [];
    const withoutBuffer: number[] = [];
    const stream = b;
    let capturedAtMs: number | undefined;
    const offDelivery = microphone.on('frame', (event) => {
      const index = firstAbove(event.samples);
      if (index >= 0) capturedAtMs = clock.nowMs() - PTIME_MS + index * msPerSample;
    });
    loudspeaker.onMarkerPlayed = (playMs) => {
      if (capturedAtMs === undefined) return;
      delays.push(playMs - capturedAtMs);
      // The buffer's average wait at this moment (packet arrival → its first sample pulled).
      withoutBuffer.push(playMs - capturedAtMs - (stream.statistics().bufferDelayMs - PTIME_MS));
      capturedAtMs = undefined;
    };
    const runMs = options.runMs ?? 6000;
    const startMs = clock.nowMs();
    timer = setInterval(() => {
      if (clock.nowMs() - startMs < 2000) return;
      capturedAtMs = undefined; // a marker never heard (lost, concealed) does not pair with the next one
      microphone.injectAudio(marker);
    }, 500);
    await new Promise((resolve) => setTimeout(resolve, runMs));
    offDelivery();
    const statistics = b.statistics();
    const sorted = [...delays].sort((x, y) => x - y);
    const medianMs = sorted[Math.floor(sorted.length / 2)] ?? NaN;
    const sortedWithout = [...withoutBuffer].sort((x, y) => x - y);
    return {
      codec: options.codec.descriptor.name,
      deviceRateHz: options.deviceRateHz,
      endToEnd: { medianMs, minMs: sorted[0] ?? NaN, maxMs: sorted[sorted.length - 1] ?? NaN, count: sorted.length },
      bufferDelayMs: statistics.bufferDelayMs,
      targetDelayMs: statistics.targetDelayMs,
      withoutJitterBufferMs: sortedWithout[Math.floor(sortedWithout.length / 2)] ?? NaN,
    };
  } finally {
    if (timer) clearInterval(timer);
    await Promise.all([a.close('bench done'), b?.close('bench done')]);
    for (const device of started) await device.stop();
  }
}
