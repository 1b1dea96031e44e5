/**
 * `npm run bench:media`: what the media path costs and how much delay it adds.
 *
 * 1. CPU per call, per codec (PCMU, PCMA, G722, opus when it loads): 60 s of
 *    one call as the phone does it (encode + RTP packetize/serialize out;
 *    RTP parse + jitter-buffer insert/pull + decode in), driven synchronously
 *    over a seeded mild-jitter trace (media-call-cpu.ts), against ffmpeg
 *    encoding and decoding the same 60 s through a pipe (codec work only).
 * 2. codec-bench.ts as it is: G.722 vs ffmpeg, G.711 vs alawmulaw.
 * 3. One-way added delay (network and jitter buffer excluded): the media
 *    loop's capture and playback queues measured in a real run with marker
 *    frames (media-loop-latency.ts), codec algorithmic delay measured
 *    (media-codec-delay.ts), per-frame processing from step 1; and end to
 *    end through two MediaStreams on loopback (media-pipeline-latency.ts).
 *
 * Figures and ratios only, nothing asserted. Exits 1 only when a part could
 * not run at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCodecBench } from './codec-bench.ts';
import { callCpuRows, codecBenchRows, cpuPerSecond, latencyRows, latencyTotalMs, pipelineRows, type CodecCallFigures, type LatencyFigures } from './media-bench-rows.ts';
import { measureCallCpu, microphoneSignal, PTIME_MS } from './media-call-cpu.ts';
import { loadBenchCodecs, type BenchCodec } from './media-codec-setup.ts';
import { measureCodecDelay } from './media-codec-delay.ts';
import { ffmpegAvailable, ffmpegHasEncoder, measureFfmpegTranscode } from './media-ffmpeg-transcode.ts';
import { measureLoopLatency } from './media-loop-latency.ts';
import { measurePipelineLatency, type PipelineLatencyResult } from './media-pipeline-latency.ts';
import { formatSummaryTable, type SummaryRow } from './summary-table.ts';

const CALL_MS = 60_000;
const SEED = 2026;

const write = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const failures: string[] = [];

async function attempt<T>(name: string, run: () => T | Promise<T>): Promise<T | Error> {
  try {
    return await run();
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    write(`${name} could not run: ${failure.message}`);
    failures.push(name);
    return failure;
  }
}

function ffmpegPeer(codec: BenchCodec, dir: string): CodecCallFigures['ffmpeg'] {
  if (!ffmpegAvailable()) return 'ffmpeg not available';
  if (!ffmpegHasEncoder(codec.ffmpeg.encoder)) return `ffmpeg has no ${codec.ffmpeg.encoder} encoder`;
  const { sampleRateHz } = codec.factory.descriptor;
  try {
    return measureFfmpegTranscode({ dir, pcm: microphoneSignal(sampleRateHz, CALL_MS, SEED), sampleRateHz, codec: codec.ffmpeg });
  } catch (error) {
    failures.push(`${codec.label} ffmpeg reference`);
    return `ffmpeg reference could not run: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
  }
}

async function callCpuSection(codecs: readonly BenchCodec[], dir: string): Promise<{ rows: SummaryRow[]; latency: LatencyFigures[] }> {
  const rows: SummaryRow[] = [];
  const latency: LatencyFigures[] = [];
  for (const codec of codecs) {
    const figures = await attempt(`${codec.label} call`, () => {
      const cpu = measureCallCpu(codec.factory, { callMs: CALL_MS, seed: SEED });
      const jb = cpu.jitterBuffer;
      write(
        `${codec.label.padEnd(5)} call: ${cpuPerSecond(cpu.call.cpuMs, CALL_MS)} (${cpu.call.cpuMs.toFixed(1)} ms CPU median of 3, min ${cpu.callMinCpuMs.toFixed(1)}, wall ${cpu.call.wallMs.toFixed(1)} ms); ` +
          `codec only ${cpu.codecOnly.cpuMs.toFixed(1)} ms; per frame: send ${cpu.perFrame.sendMedianUs.toFixed(1)} µs (p99 ${cpu.perFrame.sendP99Us.toFixed(0)}), ` +
          `receive ${cpu.perFrame.receiveMedianUs.toFixed(1)} µs (p99 ${cpu.perFrame.receiveP99Us.toFixed(0)})`,
      );
      write(
        `      jitter buffer: ${jb.packetsReceived} packets, ${jb.packetsReordered} reordered, ${jb.packetsLate} late, ${jb.concealedMs.toFixed(0)} ms concealed, ` +
          `${jb.acceleratedMs.toFixed(0)} ms accelerated, buffer ${jb.bufferDelayMs.toFixed(1)} ms / target ${jb.targetDelayMs.toFixed(1)} ms`,
      );
      const ffmpeg = ffmpegPeer(codec, dir);
      if (typeof ffmpeg === 'string') write(`      ffmpeg: ${ffmpeg}`);
      else write(`      ffmpeg enc|dec (codec only): ${ffmpeg.cpuMs.toFixed(0)} ms CPU, ${ffmpeg.wallMs.toFixed(0)} ms wall; start-up ${ffmpeg.startupCpuMs.toFixed(0)} ms CPU (best of 5)`);
      return { label: codec.label, cpu, ffmpeg };
    });
    if (figures instanceof Error) {
      rows.push({ figure: `${codec.label} CPU per call`, ours: `could not run: ${figures.message.split('\n')[0]}`, reference: '', ratio: '' });
      continue;
    }
    rows.push(...callCpuRows(figures));
    const codecDelay = await attempt(`${codec.label} codec delay`, () => measureCodecDelay(codec.factory));
    if (!(codecDelay instanceof Error)) latency.push({ label: codec.label, codecDelay, cpu: figures.cpu });
  }
  return { rows, latency };
}

async function main(): Promise<number> {
  const startedMs = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'deskphone-media-bench-'));
  const cleanUp = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });
  process.once('SIGTERM', () => {
    cleanUp();
    process.exit(143);
  });
  try {
    write(`== CPU per call: ${CALL_MS / 1000} s, ${PTIME_MS} ms packets, both directions of the phone's media, mild jitter (20 ms ± 5 ms σ, seeded) ==`);
    const loaded = await attempt('codec loading', loadBenchCodecs);
    if (loaded instanceof Error) return 1;
    if (loaded.opusUnavailable) write(loaded.opusUnavailable);
    const calls = await callCpuSection(loaded.codecs, dir);

    write('\n== codec-bench (G.722 vs ffmpeg, G.711 vs alawmulaw) ==');
    const codecBench = await attempt('codec-bench', runCodecBench);

    write(`\n== latency: media loop in a real run (marker frames, system clock, simulated devices) ==`);
    const loop = await attempt('media loop latency (20 ms)', () => measureLoopLatency({ frameMs: PTIME_MS }));
    const loop10 = await attempt('media loop latency (10 ms)', () => measureLoopLatency({ frameMs: 10 }));
    for (const result of [loop, loop10]) {
      if (result instanceof Error) continue;
      write(
        `loop ${result.frameMs} ms frames: capture → encoder ${result.capture.medianMs.toFixed(1)} ms median (${result.capture.minMs.toFixed(1)}–${result.capture.maxMs.toFixed(1)}), ` +
          `JB frame → playing ${result.playback.medianMs.toFixed(1)} ms median (${result.playback.minMs.toFixed(1)}–${result.playback.maxMs.toFixed(1)}); underruns ${result.underruns}${result.leadMs === undefined ? '' : `, lead ${result.leadMs} ms`}`,
      );
    }
    if (!(loop instanceof Error)) {
      for (const figures of calls.latency) {
        write(`${figures.label.padEnd(5)} one way: ${latencyTotalMs(loop, figures).toFixed(1)} ms (codec delay ${figures.codecDelay.delayMs.toFixed(2)} ms, correlation ${figures.codecDelay.correlation.toFixed(2)})`);
      }
    }

    write(`\n== latency: end to end through MediaStream (firmware/media/pipeline) on loopback, real run, 16 kHz devices ==`);
    const pipeline: (PipelineLatencyResult | Error)[] = [];
    for (const codec of loaded.codecs) {
      const result = await attempt(`${codec.label} pipeline latency`, () =>
        measurePipelineLatency({ codec: { descriptor: codec.factory.descriptor, factory: codec.factory }, deviceRateHz: 16000 }),
      );
      pipeline.push(result);
      if (result instanceof Error) continue;
      const e2e = result.endToEnd;
      write(
        `${codec.label.padEnd(5)} mic → loudspeaker ${e2e.medianMs.toFixed(1)} ms median (${e2e.minMs.toFixed(1)}–${e2e.maxMs.toFixed(1)}, n=${e2e.count}); ` +
          `jitter buffer ${result.bufferDelayMs.toFixed(1)} ms (target ${result.targetDelayMs.toFixed(1)}); without it ≈ ${result.withoutJitterBufferMs.toFixed(1)} ms`,
      );
    }

    write(`\n== summary (${process.platform}/${process.arch}, Node ${process.versions.node}, total ${((performance.now() - startedMs) / 1000).toFixed(1)} s) ==`);
    write(
      formatSummaryTable([
        ...calls.rows,
        ...codecBenchRows(codecBench),
        ...latencyRows(loop, calls.latency, loop10),
        ...pipelineRows(pipeline),
      ]),
    );
    write('CPU per call covers the phone\'s whole media work; ffmpeg\'s side is codec work only (one encode + one decode of 60 s, two processes).');
    write('"corrected" subtracts ffmpeg\'s start-up measured on a 20 ms file. Latency rows exclude network and jitter buffer (the MediaStream rows: measured with it, estimated without). Not asserted: noisy machine.');
    if (failures.length > 0) write(`\n${failures.length} part(s) could not run: ${failures.join(', ')}`);
    return failures.length > 0 ? 1 : 0;
  } finally {
    cleanUp();
  }
}

process.exitCode = await main();
