/** Summary-table rows for `npm run bench:media` (figures as text; nothing asserted). */
import type { CodecBenchResult } from './codec-bench.ts';
import type { CallCpuResult } from './media-call-cpu.ts';
import type { FfmpegTranscodeResult } from './media-ffmpeg-transcode.ts';
import type { CodecDelay } from './media-codec-delay.ts';
import type { LoopLatencyResult } from './media-loop-latency.ts';
import type { PipelineLatencyResult } from './media-pipeline-latency.ts';
import type { SummaryRow } from './summary-table.ts';

export const LATENCY_TARGET_MS = 40;

const ms = (value: number, digits = 1): string => `${value.toFixed(digits)} ms`;
const times = (ratio: number): string => `${ratio.toFixed(2)}x`;

/** "1.70 ms CPU per s = 0.17 % of one core". */
export function cpuPerSecond(cpuMs: number, callMs: number): string {
  const perSecondMs = cpuMs / (callMs / 1000);
  return `${perSecondMs.toFixed(2)} ms CPU per s = ${(perSecondMs / 10).toFixed(3)} % of one core`;
}

export interface CodecCallFigures {
  readonly label: string;
  readonly cpu: CallCpuResult;
  readonly ffmpeg: FfmpegTranscodeResult | string;
}

export function callCpuRows(figures: CodecCallFigures): SummaryRow[] {
  const { label, cpu, ffmpeg } = figures;
  const rows: SummaryRow[] = [];
  const callS = cpu.callMs / 1000;
  if (typeof ffmpeg === 'string') {
    rows.push({ figure: `${label} CPU per call (${callS} s, TX+RX)`, ours: cpuPerSecond(cpu.call.cpuMs, cpu.callMs), reference: ffmpeg, ratio: '' });
    return rows;
  }
  const ffmpegCodecMs = Math.max(ffmpeg.cpuMs - ffmpeg.startupCpuMs, 0.5);
  rows.push({
    figure: `${label} CPU per call (${callS} s, TX+RX)`,
    ours: `${cpuPerSecond(cpu.call.cpuMs, cpu.callMs)} (${ms(cpu.call.cpuMs, 0)})`,
    reference: `ffmpeg enc|dec, codec work only: ${ms(ffmpeg.cpuMs, 0)} CPU, ${ms(ffmpegCodecMs, 0)} w/o start-up`,
    ratio: `${times(cpu.call.cpuMs / ffmpeg.cpuMs)} raw, ${times(cpu.call.cpuMs / ffmpegCodecMs)} corrected`,
  });
  rows.push({
    figure: `${label} codec work only (${callS} s enc + dec)`,
    ours: ms(cpu.codecOnly.cpuMs),
    reference: `ffmpeg ${ms(ffmpegCodecMs, 0)} w/o start-up (${ms(ffmpeg.startupCpuMs, 0)} start-up)`,
    ratio: `${times(cpu.codecOnly.cpuMs / ffmpegCodecMs)} corrected`,
  });
  return rows;
}

export function codecBenchRows(result: CodecBenchResult | Error): SummaryRow[] {
  if (result instanceof Error) return [{ figure: 'codec-bench', ours: `could not run: ${result.message.split('\n')[0]}`, reference: '', ratio: '' }];
  const rows: SummaryRow[] = [];
  if (typeof result.g722 === 'string') rows.push({ figure: 'G.722 vs ffmpeg', ours: result.g722, reference: 'target ≤ 3x ffmpeg', ratio: '' });
  else {
    for (const [name, c] of [['encode', result.g722.encode], ['decode', result.g722.decode]] as const) {
      const corrected = c.peerMs - c.ffmpegStartupMs;
      rows.push({
        figure: `G.722 ${name} 60 s`,
        ours: ms(c.oursMs),
        reference: `ffmpeg ${ms(c.peerMs)} wall, ${ms(corrected)} w/o start-up; target ≤ 3x`,
        ratio: `${times(c.ratio)} raw, ${times(c.correctedRatio)} corrected ${c.correctedRatio <= 3 ? '(met)' : '(MISSED)'}`,
      });
    }
  }
  for (const [name, c] of Object.entries(result.g711)) {
    rows.push({ figure: `G.711 ${name} 60 s`, ours: ms(c.oursMs, 2), reference: `alawmulaw ${ms(c.peerMs, 2)}; target < 1x`, ratio: `${times(c.ratio)} ${c.ratio < 1 ? '(met)' : '(MISSED)'}` });
  }
  return rows;
}

export interface LatencyFigures {
  readonly label: string;
  readonly codecDelay: CodecDelay;
  readonly cpu: CallCpuResult;
}

/** One-way added delay, first sample of a frame, network and jitter buffer excluded. */
export function latencyTotalMs(loop: LoopLatencyResult, figures: LatencyFigures): number {
  const { perFrame } = figures.cpu;
  return loop.capture.medianMs + perFrame.sendMedianUs / 1000 + figures.codecDelay.delayMs + perFrame.receiveMedianUs / 1000 + loop.playback.medianMs;
}

export function latencyRows(loop: LoopLatencyResult | Error, perCodec: readonly LatencyFigures[], loop10: LoopLatencyResult | Error): SummaryRow[] {
  if (loop instanceof Error) return [{ figure: 'latency: media loop', ours: `could not run: ${loop.message.split('\n')[0]}`, reference: '', ratio: '' }];
  const range = (part: LoopLatencyResult['capture']): string => `${ms(part.medianMs)} median (${ms(part.minMs)}–${ms(part.maxMs)}, n=${part.count})`;
  const rows: SummaryRow[] = [
    { figure: `latency: capture → encoder (loop, ${loop.frameMs} ms frames)`, ours: range(loop.capture), reference: `${loop.frameMs} ms accumulation; handed on from the device's event`, ratio: '' },
    { figure: `latency: JB frame → playing (loop)`, ours: range(loop.playback), reference: `device-paced: asked for ${loop.leadMs ?? '?'} ms (the lead) before due + timer lateness`, ratio: '' },
  ];
  for (const figures of perCodec) {
    const { perFrame } = figures.cpu;
    const total = latencyTotalMs(loop, figures);
    rows.push({
      figure: `latency one way, ${figures.label}`,
      ours: ms(total),
      reference: `target ≤ ${LATENCY_TARGET_MS} ms; codec delay ${ms(figures.codecDelay.delayMs, 2)}, enc+RTP ${(perFrame.sendMedianUs / 1000).toFixed(3)} ms, RTP+JB+dec ${(perFrame.receiveMedianUs / 1000).toFixed(3)} ms`,
      ratio: `${times(total / LATENCY_TARGET_MS)} of target ${total <= LATENCY_TARGET_MS ? '(met)' : '(MISSED)'}`,
    });
  }
  if (!(loop10 instanceof Error)) {
    const sum = loop10.capture.medianMs + loop10.playback.medianMs;
    rows.push({
      figure: `what-if: loop at ${loop10.frameMs} ms frames`,
      ours: `capture ${ms(loop10.capture.medianMs)} + playback ${ms(loop10.playback.medianMs)} = ${ms(sum)}`,
      reference: `(+ ${20 - loop10.frameMs} ms to fill a 20 ms packet) vs ${ms(loop.capture.medianMs + loop.playback.medianMs)} at ${loop.frameMs} ms`,
      ratio: '',
    });
  }
  return rows;
}

export function pipelineRows(results: readonly (PipelineLatencyResult | Error)[]): SummaryRow[] {
  return results.map((result) => {
    if (result instanceof Error) return { figure: 'latency end to end (pipeline)', ours: `could not run: ${result.message.split('\n')[0]}`, reference: '', ratio: '' };
    const e2e = result.endToEnd;
    return {
      figure: `latency end to end via MediaStream, ${result.codec}`,
      ours: `${ms(e2e.medianMs)} median (${ms(e2e.minMs, 0)}–${ms(e2e.maxMs, 0)}, n=${e2e.count}) incl. jitter buffer`,
      reference: `without JB ≈ ${ms(result.withoutJitterBufferMs)} (estimate; JB buffer ${ms(result.bufferDelayMs, 0)}); target ≤ ${LATENCY_TARGET_MS} ms`,
      ratio: `${times(result.withoutJitterBufferMs / LATENCY_TARGET_MS)} of target ${result.withoutJitterBufferMs <= LATENCY_TARGET_MS ? '(met)' : '(MISSED)'}`,
    };
  });
}
