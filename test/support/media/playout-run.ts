/**
 * Drives a jitter buffer the way the media pipeline does: packets inserted at
 * their arrival times, one `pull` per output frame period, all on simulated
 * time. Collects the output PCM, per-frame kinds and statistics samples.
 */
import type { JitterBuffer } from '../../../firmware/media/jitter/jitter-buffer.ts';
import type { JitterBufferStatistics } from '../../../firmware/media/jitter/jitter-buffer-statistics.ts';
import type { PlayoutKind } from '../../../firmware/media/jitter/playout-kind.ts';
import type { TracePacket } from './arrival-trace.ts';

export interface PlayoutRun {
  readonly output: Int16Array;
  readonly frameKinds: readonly PlayoutKind[];
  readonly frameSamples: number;
  /** Statistics after each pull, every `statsEveryFrames` frames. */
  readonly statsTimeline: readonly { readonly timeMs: number; readonly stats: JitterBufferStatistics }[];
  readonly finalStats: JitterBufferStatistics;
}

export function runPlayout(
  buffer: JitterBuffer,
  arrivals: readonly TracePacket[],
  options: { readonly durationMs: number; readonly frameMs: number; readonly startMs?: number; readonly statsEveryFrames?: number },
): PlayoutRun {
  const chunks: Int16Array[] = [];
  const frameKinds: PlayoutKind[] = [];
  const statsTimeline: { timeMs: number; stats: JitterBufferStatistics }[] = [];
  const statsEvery = options.statsEveryFrames ?? 50;
  let next = 0;
  let frameSamples = 0;
  const frames = Math.floor(options.durationMs / options.frameMs);
  for (let frame = 0; frame < frames; frame++) {
    const nowMs = (options.startMs ?? 0) + frame * options.frameMs;
    while (next < arrivals.length && arrivals[next]!.arrivalTimeMs <= nowMs) {
      buffer.insert(arrivals[next]!.packet, arrivals[next]!.arrivalTimeMs);
      next++;
    }
    const out = buffer.pull(nowMs);
    frameSamples = out.pcm.length;
    chunks.push(out.pcm);
    frameKinds.push(out.kind);
    if (frame % statsEvery === statsEvery - 1) statsTimeline.push({ timeMs: nowMs, stats: buffer.statistics });
  }
  const output = new Int16Array(chunks.length * frameSamples);
  chunks.forEach((chunk, i) => output.set(chunk, i * frameSamples));
  return { output, frameKinds, frameSamples, statsTimeline, finalStats: buffer.statistics };
}
