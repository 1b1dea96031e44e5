/**
 * Deterministic test signals for the media tests and benches: sines, a noisy
 * sweep, noise (uniform or Gaussian at a level in dBm0), scaling to a level and
 * mixing. Speech- and music-like sounds are in speech-and-music.ts.
 */
import { sineAmplitudeForDbm0 } from '../../../firmware/media/tones/dbm0.ts';
import { SeededRandom } from '../seeded-random.ts';

/** A signal as a function of the sample index (sample-exact whatever the framing). */
export type SignalFunction = (sampleIndex: number) => number;

/** Rounded and saturated to a 16-bit sample. */
export function clamp16(value: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(value)));
}

function sampleCount(sampleRateHz: number, durationMs: number): number {
  return Math.round((sampleRateHz * durationMs) / 1000);
}

export function sineSignal(options: { frequencyHz: number; amplitude: number; sampleRateHz: number }): SignalFunction {
  const omega = (2 * Math.PI * options.frequencyHz) / options.sampleRateHz;
  return (n) => options.amplitude * Math.sin(omega * n);
}

export interface ToneOptions {
  readonly frequencyHz: number;
  readonly sampleRateHz: number;
  readonly durationMs: number;
  /** Peak amplitude in 16-bit units. */
  readonly amplitude: number;
}

/** `durationMs` of a sine as 16-bit PCM. */
export function tone(options: ToneOptions): Int16Array {
  const sine = sineSignal(options);
  const samples = new Int16Array(sampleCount(options.sampleRateHz, options.durationMs));
  for (let i = 0; i < samples.length; i++) samples[i] = clamp16(sine(i));
  return samples;
}

/** Deterministic uniform noise in [-1, 1), so failures reproduce. */
export function makeNoise(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => 2 * random.next() - 1;
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

/** A linear sine sweep plus uniform noise, optionally ending in full-scale noise. */
export function sweepWithNoise(options: SweepWithNoiseOptions): Int16Array {
  const count = sampleCount(options.sampleRateHz, options.durationMs);
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

/** `values` scaled so that their mean power is `levelDbm0`, as 16-bit PCM. */
export function pcmAtLevelDbm0(values: Float64Array, levelDbm0: number): Int16Array {
  let energy = 0;
  for (const v of values) energy += v * v;
  const rms = Math.sqrt(energy / Math.max(1, values.length));
  const scale = rms > 0 ? sineAmplitudeForDbm0(levelDbm0) / Math.SQRT2 / rms : 0;
  const out = new Int16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = clamp16((values[i] ?? 0) * scale);
  return out;
}

/** Gaussian white noise with the given mean level. */
export function whiteNoise(options: { seed: number; sampleRateHz: number; durationMs: number; levelDbm0: number }): Int16Array {
  const random = new SeededRandom(options.seed);
  const values = new Float64Array(sampleCount(options.sampleRateHz, options.durationMs));
  // One deviate per Box–Muller pair (the cosine half): the sequence the detector tests were tuned on.
  for (let i = 0; i < values.length; i++) values[i] = random.normalPair()[0];
  return pcmAtLevelDbm0(values, options.levelDbm0);
}

/** a + b, saturating. */
export function mixSignals(a: Int16Array, b: Int16Array): Int16Array {
  const out = new Int16Array(Math.max(a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = clamp16((a[i] ?? 0) + (b[i] ?? 0));
  return out;
}
