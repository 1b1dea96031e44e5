/** Sample-exact test signals, as functions of the sender's sample index. */
import { SeededRandom } from '../seeded-random.ts';

export type SignalFunction = (sampleIndex: number) => number;

export function sineSignal(options: { frequencyHz: number; amplitude: number; sampleRateHz: number }): SignalFunction {
  const omega = (2 * Math.PI * options.frequencyHz) / options.sampleRateHz;
  return (n) => options.amplitude * Math.sin(omega * n);
}

/**
 * A voiced-speech stand-in: 8 harmonics of a fundamental gliding between
 * 110 and 190 Hz (3 s cycle), amplitudes falling ~6 dB per octave, under a
 * slow syllable-rate envelope (never fully silent). Periodic enough for
 * pitch-based stretching; not a sine.
 */
export function speechLikeSignal(options: { amplitude: number; sampleRateHz: number }): SignalFunction {
  const fs = options.sampleRateHz;
  // Precompute the phase of the fundamental incrementally would need state; integrate analytically instead.
  const f0Mean = 150;
  const f0Swing = 40;
  const glideHz = 1 / 3;
  const harmonics = 8;
  let norm = 0;
  for (let h = 1; h <= harmonics; h++) norm += 1 / h;
  return (n) => {
    const t = n / fs;
    // phase = 2π ∫ f0(t) dt with f0(t) = mean + swing·sin(2π·glide·t)
    const phase = 2 * Math.PI * (f0Mean * t + (f0Swing / (2 * Math.PI * glideHz)) * (1 - Math.cos(2 * Math.PI * glideHz * t)));
    let value = 0;
    for (let h = 1; h <= harmonics; h++) value += Math.sin(h * phase + h * 0.7) / h;
    const envelope = 0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t);
    return (options.amplitude * envelope * value) / norm;
  };
}

/** White noise at a given RMS (deterministic). */
export function noiseSignal(options: { rms: number; seed: number }): SignalFunction {
  const random = new SeededRandom(options.seed);
  const cache = new Map<number, number>();
  return (n) => {
    let value = cache.get(n);
    if (value === undefined) {
      value = random.normal() * options.rms;
      cache.set(n, value);
    }
    return value;
  };
}
