/**
 * Seeded test signals that are not DTMF but stress a DTMF detector: white
 * noise, speech-like sound (a pitch pulse train through moving formant
 * resonators, syllable envelopes) and music-like chords (notes with harmonics).
 */
import { SeededRandom } from './seeded-random.ts';
import { sineAmplitudeForDbm0 } from '../../firmware/media/tones/dbm0.ts';

function toPcm(values: Float64Array, levelDbm0: number): Int16Array {
  let energy = 0;
  for (const v of values) energy += v * v;
  const rms = Math.sqrt(energy / Math.max(1, values.length));
  const scale = rms > 0 ? sineAmplitudeForDbm0(levelDbm0) / Math.SQRT2 / rms : 0;
  const out = new Int16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round((values[i] ?? 0) * scale)));
  return out;
}

/** Gaussian white noise with the given mean level. */
export function whiteNoise(options: { seed: number; sampleRateHz: number; durationMs: number; levelDbm0: number }): Int16Array {
  const random = new SeededRandom(options.seed);
  const values = new Float64Array(Math.round((options.durationMs * options.sampleRateHz) / 1000));
  // One deviate per Box–Muller pair (the cosine half): the sequence the detector tests were tuned on.
  for (let i = 0; i < values.length; i++) values[i] = random.normalPair()[0];
  return toPcm(values, options.levelDbm0);
}

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
export function speechLike(options: { seed: number; sampleRateHz: number; durationMs: number; levelDbm0: number }): Int16Array {
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
  return toPcm(values, options.levelDbm0);
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
  return toPcm(values, options.levelDbm0);
}

/** a + b, saturating. */
export function mixSignals(a: Int16Array, b: Int16Array): Int16Array {
  const out = new Int16Array(Math.max(a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = Math.max(-32768, Math.min(32767, (a[i] ?? 0) + (b[i] ?? 0)));
  return out;
}
