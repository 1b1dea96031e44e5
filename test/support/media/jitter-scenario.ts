/**
 * One-call helper for jitter-buffer scenario tests: generate a trace for
 * G.711 μ-law (or a given codec), run a buffer over it, return both.
 */
import { JitterBuffer, type JitterBufferOptions } from '../../../firmware/media/jitter/jitter-buffer.ts';
import { generateArrivalTrace, type ArrivalTrace, type ArrivalTraceOptions } from './arrival-trace.ts';
import { runPlayout, type PlayoutRun } from './playout-run.ts';
import { pcmuTestCodec, type TestCodec } from './test-codecs.ts';
import type { SignalFunction } from '../audio/signal-generators.ts';
import { speechLikeSignal } from '../audio/speech-and-music.ts';

export interface JitterScenario {
  readonly trace: ArrivalTrace;
  readonly run: PlayoutRun;
  readonly buffer: JitterBuffer;
}

export function runJitterScenario(options: {
  readonly durationMs: number;
  readonly trace: Partial<ArrivalTraceOptions>;
  readonly codec?: TestCodec;
  readonly signal?: SignalFunction;
  readonly buffer?: Partial<JitterBufferOptions>;
  readonly frameMs?: number;
  readonly statsEveryFrames?: number;
}): JitterScenario {
  const codec = options.codec ?? pcmuTestCodec;
  const frameMs = options.frameMs ?? 10;
  const trace = generateArrivalTrace({
    seed: 1,
    durationMs: options.durationMs,
    codec: codec.descriptor,
    encoder: codec.createEncoder(),
    signal: options.signal ?? speechLikeSignal({ amplitude: 8000, sampleRateHz: codec.descriptor.sampleRateHz }),
    ...options.trace,
  });
  const buffer = new JitterBuffer({ decoder: codec.createDecoder(), frameDurationMs: frameMs, ...options.buffer });
  const run = runPlayout(buffer, trace.arrivals, {
    durationMs: options.durationMs,
    frameMs,
    ...(options.statsEveryFrames !== undefined ? { statsEveryFrames: options.statsEveryFrames } : {}),
  });
  return { trace, run, buffer };
}

/** Statistics samples taken at or after `fromMs` (and before `toMs`). */
export function statsBetween(run: PlayoutRun, fromMs: number, toMs = Infinity) {
  return run.statsTimeline.filter((entry) => entry.timeMs >= fromMs && entry.timeMs < toMs).map((entry) => entry.stats);
}

export function statsAt(run: PlayoutRun, timeMs: number) {
  const entry = run.statsTimeline.find((candidate) => candidate.timeMs >= timeMs);
  if (entry === undefined) throw new Error(`no statistics at ${timeMs} ms`);
  return entry.stats;
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
