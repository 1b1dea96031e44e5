/**
 * A codec's algorithmic delay (look-ahead, filter banks), measured: seeded
 * noise is encoded and decoded in 20 ms frames and the lag of the best
 * cross-correlation between input and output is the delay (G.711 0, G.722's
 * QMF pair 22 samples at 16 kHz, Opus its encoder look-ahead).
 */
import { frameTiming } from '../../firmware/media/codecs/frame-timing.ts';
import type { CodecFactory } from '../../firmware/media/types.ts';
import { makeNoise } from '../support/audio/signal-generators.ts';
import { PTIME_MS } from './media-call-cpu.ts';

export interface CodecDelay {
  readonly delaySamples: number;
  readonly delayMs: number;
  /** Normalised correlation at that lag (near 1 for waveform codecs). */
  readonly correlation: number;
}

export function measureCodecDelay(factory: CodecFactory, maxDelayMs = 30): CodecDelay {
  const { sampleRateHz } = factory.descriptor;
  const { samplesPerFrame } = frameTiming(factory.descriptor, PTIME_MS);
  const frames = 25; // 500 ms
  const noise = makeNoise(4242);
  // Noise low-passed a little (two-tap average) so every codec keeps most of it.
  const input = new Int16Array(frames * samplesPerFrame);
  let previous = 0;
  for (let i = 0; i < input.length; i++) {
    const value = noise() * 8000;
    input[i] = Math.round((value + previous) / 2);
    previous = value;
  }
  const encoder = factory.createEncoder();
  const decoder = factory.createDecoder();
  const output = new Int16Array(input.length);
  for (let frame = 0; frame < frames; frame++) {
    const decoded = decoder.decode(encoder.encode(input.subarray(frame * samplesPerFrame, (frame + 1) * samplesPerFrame)));
    output.set(decoded.subarray(0, samplesPerFrame), frame * samplesPerFrame);
  }
  encoder.close?.();
  decoder.close?.();

  const maxLag = Math.round((sampleRateHz * maxDelayMs) / 1000);
  const from = Math.round(sampleRateHz * 0.1);
  const to = input.length - maxLag;
  let best: CodecDelay = { delaySamples: 0, delayMs: 0, correlation: -Infinity };
  for (let lag = 0; lag <= maxLag; lag++) {
    let cross = 0;
    let energyIn = 0;
    let energyOut = 0;
    for (let i = from; i < to; i++) {
      const a = input[i] ?? 0;
      const b = output[i + lag] ?? 0;
      cross += a * b;
      energyIn += a * a;
      energyOut += b * b;
    }
    const correlation = cross / Math.sqrt(energyIn * energyOut || 1);
    if (correlation > best.correlation) best = { delaySamples: lag, delayMs: (1000 * lag) / sampleRateHz, correlation };
  }
  return best;
}
