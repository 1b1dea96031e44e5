/**
 * What the pipeline tests measure on received audio: the frequency of a
 * steady tone (rising zero crossings with linear interpolation, after a
 * Goertzel check that it is the dominant component), its level, and runs of
 * silence.
 */
import { goertzelAmplitude } from '../../../firmware/media/dtmf/goertzel.ts';

/** Frequency of the tone in `samples` from the spacing of its rising zero crossings. */
export function toneFrequencyHz(samples: ArrayLike<number>, sampleRateHz: number): number {
  const crossings: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1] as number;
    const b = samples[i] as number;
    if (a < 0 && b >= 0) crossings.push(i - 1 + -a / (b - a));
  }
  const first = crossings[0];
  const last = crossings[crossings.length - 1];
  if (first === undefined || last === undefined || crossings.length < 3) return 0;
  return ((crossings.length - 1) * sampleRateHz) / (last - first);
}

/** Peak amplitude of the component at `frequencyHz`, over a whole number of its periods. */
export function toneAmplitude(samples: ArrayLike<number>, options: { frequencyHz: number; sampleRateHz: number }): number {
  const period = options.sampleRateHz / options.frequencyHz;
  const length = Math.floor(Math.floor(samples.length / period) * period);
  return goertzelAmplitude(samples, { ...options, start: 0, length });
}

/** RMS over all samples. */
export function rmsOf(samples: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += (samples[i] as number) ** 2;
  return samples.length > 0 ? Math.sqrt(sum / samples.length) : 0;
}

/**
 * The longest run, in ms, of consecutive `windowMs` windows whose RMS is
 * below `thresholdRms` (a silent gap in a tone).
 */
export function longestSilentRunMs(samples: ArrayLike<number>, options: { sampleRateHz: number; windowMs: number; thresholdRms: number }): number {
  const window = Math.round((options.sampleRateHz * options.windowMs) / 1000);
  let longest = 0;
  let run = 0;
  for (let start = 0; start + window <= samples.length; start += window) {
    let sum = 0;
    for (let i = start; i < start + window; i++) sum += (samples[i] as number) ** 2;
    if (Math.sqrt(sum / window) < options.thresholdRms) {
      run++;
      longest = Math.max(longest, run);
    } else {
      run = 0;
    }
  }
  return longest * options.windowMs;
}

/** Total ms of `windowMs` windows whose RMS is below `thresholdRms`. */
export function silentMs(samples: ArrayLike<number>, options: { sampleRateHz: number; windowMs: number; thresholdRms: number }): number {
  const window = Math.round((options.sampleRateHz * options.windowMs) / 1000);
  let silent = 0;
  for (let start = 0; start + window <= samples.length; start += window) {
    let sum = 0;
    for (let i = start; i < start + window; i++) sum += (samples[i] as number) ** 2;
    if (Math.sqrt(sum / window) < options.thresholdRms) silent++;
  }
  return silent * options.windowMs;
}

/** Concatenates frames. */
export function concatFrames(frames: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(frames.reduce((sum, frame) => sum + frame.length, 0));
  let offset = 0;
  for (const frame of frames) {
    out.set(frame, offset);
    offset += frame.length;
  }
  return out;
}
