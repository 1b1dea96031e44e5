/**
 * Deterministic stand-ins for speech and music:
 * - `formantSpeech` and `musicLikeChords` are rendered 16-bit PCM that is not
 *   DTMF but stresses a DTMF detector (talk-off tests);
 * - `speechLikeSignal` is a sample-exact signal function, periodic enough for
 *   the pitch-based concealment and time stretching of the jitter buffer.
 */
import { SeededRandom } from '../seeded-random.ts';
import { pcmAtLevelDbm0, type SignalFunction } from './signal-generators.ts';

/** Two-pole resonator (a formant) as a running filter. */
class Resonator {
  private y1 = 0;
  private y2 = 0;
  run(x: number, frequencyHz: number, bandwidthHz: number, sampleRateHz: number): number {
    const r = Math.exp((-Math.PI * bandwidthHz) / sampleRateHz);
    const y = (1 - r) * x + 2 * r * Math.cos((2 * Math.PI * frequencyHz) / sampleRateHz) * this.y1 - r * r * this.y2;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }
}

/** Voiced syllables: glottal pulses at a wandering pitch through three moving formants, with pauses. */
export function formantSpeech(options: { seed: number; sampleRateHz: number; durationMs: number; levelDbm0: number }): Int16Array {
  const uniform = new SeededRandom(options.seed);
  const random = (): number => uniform.next();
  const breath = new SeededRandom(options.seed + 1);
  const fs = options.sampleRateHz;
  const values = new Float64Array(Math.round((options.durationMs * fs) / 1000));
  const formants = [new Resonator(), new Resonator(), new Resonator()];
  let pitchHz = 120 + random() * 100;
  let phase = 0;
  let syllableLeft = 0;
  let syllableLength = 1;
  let voiced = true;
  let f = [500, 1500, 2500];
  for (let i = 0; i < values.length; i++) {
    if (syllableLeft <= 0) {
      syllableLength = syllableLeft = Math.round(((60 + random() * 200) * fs) / 1000);
      voiced = random() < 0.8;
      f = [250 + random() * 650, 800 + random() * 1700, 2300 + random() * Math.min(1200, fs / 2 - 2500)];
      pitchHz = Math.min(300, Math.max(80, pitchHz + (random() - 0.5) * 60));
    }
    syllableLeft--;
    const envelope = Math.sin((Math.PI * (syllableLength - syllableLeft)) / syllableLength);
    phase += (pitchHz * (1 + 0.05 * Math.sin(i / 400))) / fs;
    let excitation = 0.05 * breath.normalPair()[0];
    if (voiced && phase >= 1) {
      phase -= 1;
      excitation += 1;
    }
    let y = 0;
    formants.forEach((formant, k) => {
      y += formant.run(excitation, f[k] ?? 1000, 80 + 40 * k, fs) / (k + 1);
    });
    values[i] = y * envelope;
  }
  return pcmAtLevelDbm0(values, options.levelDbm0);
}

/** Chords of 3-4 equal-tempered notes (200-1700 Hz), each with 4 decaying harmonics. */
export function musicLikeChords(options: { seed: number; sampleRateHz: number; durationMs: number; levelDbm0: number }): Int16Array {
  const uniform = new SeededRandom(options.seed);
  const random = (): number => uniform.next();
  const fs = options.sampleRateHz;
  const values = new Float64Array(Math.round((options.durationMs * fs) / 1000));
  let i = 0;
  while (i < values.length) {
    const length = Math.round(((200 + random() * 300) * fs) / 1000);
    const notes = Array.from({ length: 3 + Math.floor(random() * 2) }, () => 440 * 2 ** ((Math.floor(random() * 36) - 15) / 12));
    for (let n = 0; n < length && i < values.length; n++, i++) {
      const decay = Math.exp(-n / (0.3 * fs));
      let v = 0;
      for (const noteHz of notes) {
        for (let h = 1; h <= 4 && noteHz * h < fs / 2; h++) v += Math.sin((2 * Math.PI * noteHz * h * n) / fs) / h;
      }
      values[i] = v * decay;
    }
  }
  return pcmAtLevelDbm0(values, options.levelDbm0);
}

/**
 * A voiced-speech stand-in: 8 harmonics of a fundamental gliding between
 * 110 and 190 Hz (3 s cycle), amplitudes falling ~6 dB per octave, under a
 * slow syllable-rate envelope (never fully silent). Periodic enough for
 * pitch-based stretching; not a sine.
 */
export function speechLikeSignal(options: { amplitude: number; sampleRateHz: number }): SignalFunction {
  const fs = options.sampleRateHz;
  const f0Mean = 150;
  const f0Swing = 40;
  const glideHz = 1 / 3;
  const harmonics = 8;
  let norm = 0;
  for (let h = 1; h <= harmonics; h++) norm += 1 / h;
  return (n) => {
    const t = n / fs;
    // phase = 2π ∫ f0(t) dt with f0(t) = mean + swing·sin(2π·glide·t), integrated analytically
    const phase = 2 * Math.PI * (f0Mean * t + (f0Swing / (2 * Math.PI * glideHz)) * (1 - Math.cos(2 * Math.PI * glideHz * t)));
    let value = 0;
    for (let h = 1; h <= harmonics; h++) value += Math.sin(h * phase + h * 0.7) / h;
    const envelope = 0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t);
    return (options.amplitude * envelope * value) / norm;
  };
}
