/**
 * Test signals for codec tests and benches: tones, sweeps, deterministic
 * noise, ffmpeg probe.
 */
import { spawnSync } from 'node:child_process';
import { SeededRandom } from './seeded-random.ts';

/** Deterministic uniform noise in [-1, 1), so failures reproduce. */
export function makeNoise(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => 2 * random.next() - 1;
}

const clamp16 = (value: number): number => Math.max(-32768, Math.min(32767, Math.round(value)));

export interface ToneOptions {
  readonly frequencyHz: number;
  readonly sampleRateHz: number;
  readonly durationMs: number;
  /** Peak amplitude in 16-bit units. */
  readonly amplitude: number;
}

export function tone(options: ToneOptions): Int16Array {
  const count = Math.round((options.sampleRateHz * options.durationMs) / 1000);
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) samples[i] = clamp16(options.amplitude * Math.sin((2 * Math.PI * options.frequencyHz * i) / options.sampleRateHz));
  return samples;
}

export interface SweepWithNoiseOptions {
  readonly sampleRateHz: number;
  readonly durationMs: number;
  readonly startHz: number;
  readonly endHz: number;
  readonly amplitude: number;
  readonly noiseAmplitude: number;
  readonly seed: number;
  /** Fraction of the signal at the end replaced by full-scale noise, to reach the saturation paths. */
  readonly loudTailFraction?: number;
}

/** A linear sine sweep plus noise, optionally ending in full-scale noise. */
export function sweepWithNoise(options: SweepWithNoiseOptions): Int16Array {
  const count = Math.round((options.sampleRateHz * options.durationMs) / 1000);
  const noise = makeNoise(options.seed);
  const loudFrom = Math.round(count * (1 - (options.loudTailFraction ?? 0)));
  const samples = new Int16Array(count);
  let phase = 0;
  for (let i = 0; i < count; i++) {
    const frequencyHz = options.startHz + ((options.endHz - options.startHz) * i) / count;
    phase += (2 * Math.PI * frequencyHz) / options.sampleRateHz;
    const value = i >= loudFrom ? 32768 * noise() : options.amplitude * Math.sin(phase) + options.noiseAmplitude * noise();
    samples[i] = clamp16(value);
  }
  return samples;
}

/** True when an `ffmpeg` executable with the G.722 codec is on the PATH. */
export function ffmpegHasG722(): boolean {
  const result = spawnSync('ffmpeg', ['-hide_banner', '-codecs'], { encoding: 'utf8' });
  return result.status === 0 && /\bg722\b/.test(result.stdout);
}
