/**
 * A tone as data: a sequence of steps, each a set of sine components (or
 * silence) held for a duration, optionally repeated. Call-progress tones,
 * ring tones, the key click and DTMF are all described this way and played
 * by `ToneGenerator`.
 */

export interface ToneComponent {
  readonly frequencyHz: number;
  /** Level of this component alone (a dual tone has two components at their own levels). */
  readonly levelDbm0: number;
}

export interface ToneStep {
  /** `Infinity` for a continuous tone. */
  readonly durationMs: number;
  /** Empty for silence. */
  readonly components: readonly ToneComponent[];
}

export interface TonePattern {
  readonly name: string;
  readonly steps: readonly ToneStep[];
  /** Start again after the last step (cadenced tones) or stop (key click, DTMF burst). */
  readonly repeat: boolean;
}

export function toneStep(frequenciesHz: readonly number[], levelDbm0: number, durationMs: number): ToneStep {
  return { durationMs, components: frequenciesHz.map((frequencyHz) => ({ frequencyHz, levelDbm0 })) };
}

export function silenceStep(durationMs: number): ToneStep {
  return { durationMs, components: [] };
}

export interface CadencedToneOptions {
  readonly name: string;
  readonly frequenciesHz: readonly number[];
  readonly levelDbm0: number;
  /**
   * ITU-T E.180 §2 style cadence: on, off, on, off... in ms. Empty for a
   * continuous tone. A trailing "on" without "off" means the pattern ends on tone.
   */
  readonly cadenceMs: readonly number[];
  readonly repeat?: boolean;
}

/** A single- or multi-frequency tone switched on and off by a cadence. */
export function cadencedTone(options: CadencedToneOptions): TonePattern {
  if (options.cadenceMs.length === 0) {
    return { name: options.name, steps: [toneStep(options.frequenciesHz, options.levelDbm0, Infinity)], repeat: false };
  }
  const steps = options.cadenceMs.map((durationMs, index) =>
    index % 2 === 0 ? toneStep(options.frequenciesHz, options.levelDbm0, durationMs) : silenceStep(durationMs),
  );
  return { name: options.name, steps, repeat: options.repeat ?? true };
}

/** Length of one pass through the pattern (Infinity for a continuous tone). */
export function patternPeriodMs(pattern: TonePattern): number {
  return pattern.steps.reduce((sum, step) => sum + step.durationMs, 0);
}
