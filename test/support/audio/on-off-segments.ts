import { SingleBinDft } from './single-bin-dft.ts';

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
  const { sampleRateHz } = options;
  const n = samples.length;
  const dft = new SingleBinDft(samples, options);
  const half = Math.max(1, Math.round((options.windowMs * sampleRateHz) / 2000));
  const amplitude = new Float64Array(n);
  let peak = 0;
  for (let i = 0; i < n; i++) {
    // Near the ends the window is cut short but still divided by its full length.
    const value = dft.amplitude(i - half, i + half, 2 * half);
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
