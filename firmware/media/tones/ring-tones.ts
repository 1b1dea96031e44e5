/**
 * Ringer melodies and the key click, generated (never sampled). Levels are
 * nominal (-6 dBm0 per note); the ringer volume is applied downstream.
 */
import { silenceStep, toneStep, type TonePattern, type ToneStep } from './tone-pattern.ts';

export type RingToneName = 'warble' | 'double-ring' | 'chime' | 'ascending' | 'beeps';
export const RING_TONE_NAMES: readonly RingToneName[] = ['warble', 'double-ring', 'chime', 'ascending', 'beeps'];

const RING_LEVEL_DBM0 = -6;

/** Equal-tempered note frequency, A4 = 440 Hz. */
function noteHz(semitonesFromA4: number): number {
  return 440 * 2 ** (semitonesFromA4 / 12);
}

/** Alternates two frequencies every `halfPeriodMs` for `durationMs`: the electronic ringer sound. */
function warbleSteps(lowHz: number, highHz: number, halfPeriodMs: number, durationMs: number): ToneStep[] {
  const steps: ToneStep[] = [];
  for (let t = 0; t < durationMs; t += halfPeriodMs) {
    steps.push(toneStep([steps.length % 2 === 0 ? lowHz : highHz], RING_LEVEL_DBM0, Math.min(halfPeriodMs, durationMs - t)));
  }
  return steps;
}

function melody(name: string, notes: readonly number[], noteMs: number, gapMs: number, pauseMs: number): TonePattern {
  const steps: ToneStep[] = [];
  for (const note of notes) steps.push(toneStep([noteHz(note)], RING_LEVEL_DBM0, noteMs), silenceStep(gapMs));
  steps.push(silenceStep(pauseMs));
  return { name, steps, repeat: true };
}

const RING_TONES: Readonly<Record<RingToneName, TonePattern>> = {
  // 800/1000 Hz at a 20 Hz warble: 1 s on, 2 s off.
  warble: { name: 'warble', steps: [...warbleSteps(800, 1000, 25, 1000), silenceStep(2000)], repeat: true },
  // The UK ring cadence (0.4 on 0.2 off 0.4 on 2.0 off) on a warble.
  'double-ring': {
    name: 'double-ring',
    steps: [...warbleSteps(1000, 1200, 25, 400), silenceStep(200), ...warbleSteps(1000, 1200, 25, 400), silenceStep(2000)],
    repeat: true,
  },
  // E5 C5 D5 G4, a four-note chime.
  chime: melody('chime', [7, 3, 5, -2], 350, 50, 1600),
  // C5 E5 G5 C6 arpeggio.
  ascending: melody('ascending', [3, 7, 10, 15], 120, 30, 1400),
  // Three short 1400 Hz beeps.
  beeps: { name: 'beeps', steps: [...[0, 1, 2].flatMap(() => [toneStep([1400], RING_LEVEL_DBM0, 100), silenceStep(100)]), silenceStep(1400)], repeat: true },
};

export function ringTone(name: RingToneName): TonePattern {
  return RING_TONES[name];
}

/** A short key click for keypad feedback: 8 ms of 2 kHz + 3 kHz, fully ramped, played once (both below 4 kHz, so it plays at 8 kHz too). */
export function keyClick(levelDbm0 = -16): TonePattern {
  return { name: 'key-click', steps: [toneStep([2000, 3000], levelDbm0, 8)], repeat: false };
}
