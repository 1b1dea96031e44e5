/**
 * Test signals and measurements for codec tests and benches: tones, sweeps,
 * deterministic noise, signal-to-noise ratio with delay alignment, ffmpeg probe.
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

export interface SnrResult {
  readonly snrDb: number;
  /** Samples by which `output` lags `reference`. */
  readonly delaySamples: number;
}

/**
 * SNR of `output` against `reference` after finding the codec delay (0..maxDelay
 * samples, best match), over reference[skip .. end − maxDelay].
 */
export function snrWithDelay(reference: Int16Array, output: Int16Array, options: { maxDelaySamples: number; skipSamples: number }): SnrResult {
  const end = Math.min(reference.length, output.length) - options.maxDelaySamples;
  let best: SnrResult = { snrDb: -Infinity, delaySamples: 0 };
  for (let delay = 0; delay <= options.maxDelaySamples; delay++) {
    let signal = 0;
    let noise = 0;
    for (let i = options.skipSamples; i < end; i++) {
      const wanted = reference[i]!;
      const error = output[i + delay]! - wanted;
      signal += wanted * wanted;
      noise += error * error;
    }
    const snrDb = noise === 0 ? Infinity : 10 * Math.log10(signal / noise);
    if (snrDb > best.snrDb) best = { snrDb, delaySamples: delay };
  }
  return best;
}

/** Plain SNR of `output` against `reference`, sample by sample, no alignment. */
export function snrDb(reference: Int16Array, output: Int16Array): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) {
    const wanted = reference[i]!;
    const error = (output[i] ?? 0) - wanted;
    signal += wanted * wanted;
    noise += error * error;
  }
  return noise === 0 ? Infinity : 10 * Math.log10(signal / noise);
}

/** True when an `ffmpeg` executable with the G.722 codec is on the PATH. */
export function ffmpegHasG722(): boolean {
  const result = spawnSync('ffmpeg', ['-hide_banner', '-codecs'], { encoding: 'utf8' });
  return result.status === 0 && /\bg722\b/.test(result.stdout);
}
