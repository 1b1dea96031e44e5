/**
 * Measurements for generated audio in tests: levels, tone content, on/off
 * segments from the power envelope, and the largest sample-to-sample step.
 */
import { goertzelAmplitude } from '../../firmware/media/dtmf/goertzel.ts';
import { dbm0ForSineAmplitude } from '../../firmware/media/tones/dbm0.ts';

/** Level in dBm0 of the component at `frequencyHz` in samples [start, start+length). */
export function componentLevelDbm0(samples: ArrayLike<number>, options: { frequencyHz: number; sampleRateHz: number; start?: number; length?: number }): number {
  return dbm0ForSineAmplitude(goertzelAmplitude(samples, options));
}

export interface Segment {
  readonly on: boolean;
  readonly startMs: number;
  readonly durationMs: number;
}

/**
 * On/off runs of the component at `frequencyHz`: its amplitude over a centred
 * `windowMs` window (a sliding single-bin DFT), compared with half the largest.
 * For a dual tone, a window of one beat period (1/Δf) cancels the other
 * component, so each edge is measured where the amplitude is half-way.
 */
export function onOffSegments(samples: ArrayLike<number>, options: { sampleRateHz: number; frequencyHz: number; windowMs: number }): Segment[] {
  const { sampleRateHz, frequencyHz } = options;
  const n = samples.length;
  const re = new Float64Array(n + 1);
  const im = new Float64Array(n + 1);
  const omega = (2 * Math.PI * frequencyHz) / sampleRateHz;
  for (let i = 0; i < n; i++) {
    const x = samples[i] ?? 0;
    re[i + 1] = (re[i] ?? 0) + x * Math.cos(omega * i);
    im[i + 1] = (im[i] ?? 0) - x * Math.sin(omega * i);
  }
  const half = Math.max(1, Math.round((options.windowMs * sampleRateHz) / 2000));
  const amplitude = new Float64Array(n);
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - half);
    const hi = Math.min(n, i + half);
    const value = Math.hypot((re[hi] ?? 0) - (re[lo] ?? 0), (im[hi] ?? 0) - (im[lo] ?? 0)) / (2 * half);
    amplitude[i] = value;
    if (value > peak) peak = value;
  }
  const segments: Segment[] = [];
  let runStart = 0;
  for (let i = 1; i <= n; i++) {
    const on = (amplitude[runStart] ?? 0) >= peak / 2;
    if (i === n || ((amplitude[i] ?? 0) >= peak / 2) !== on) {
      segments.push({ on, startMs: (runStart * 1000) / sampleRateHz, durationMs: ((i - runStart) * 1000) / sampleRateHz });
      runStart = i;
    }
  }
  return segments;
}

/** Largest |x[n] - x[n-1]|: a click shows up as a step far above what the tones themselves can make. */
export function maxStep(samples: ArrayLike<number>): number {
  let max = 0;
  for (let i = 1; i < samples.length; i++) max = Math.max(max, Math.abs((samples[i] ?? 0) - (samples[i - 1] ?? 0)));
  return max;
}

/** Renders `durationMs` of audio by frames of `frameMs`, as the media loop does. */
export function renderFrames(render: (frameSamples: number) => Int16Array, sampleRateHz: number, durationMs: number, frameMs = 20): Int16Array {
  const frameSamples = Math.round((frameMs * sampleRateHz) / 1000);
  const frames = Math.ceil(durationMs / frameMs);
  const out = new Int16Array(frames * frameSamples);
  for (let f = 0; f < frames; f++) out.set(render(frameSamples), f * frameSamples);
  return out;
}
