/**
 * Call-progress tones by country: ITU-T E.180 (03/1998) §2-§3 and its
 * Supplement 2 (the national tones administrations reported), with the
 * national plans below. Frequencies and cadences follow those sources; levels
 * are per component (see docs/media.md, "DTMF, tones and mixing", for the
 * table and where each figure comes from).
 */
import { cadencedTone, type TonePattern } from './tone-pattern.ts';

export type CallProgressToneKind = 'dial' | 'ringback' | 'busy' | 'congestion' | 'call-waiting';
export type ToneCountry = 'default' | 'us' | 'uk' | 'de' | 'fr';

export const TONE_COUNTRIES: readonly ToneCountry[] = ['default', 'us', 'uk', 'de', 'fr'];
export const CALL_PROGRESS_TONE_KINDS: readonly CallProgressToneKind[] = ['dial', 'ringback', 'busy', 'congestion', 'call-waiting'];

interface ToneDefinition {
  readonly frequenciesHz: readonly number[];
  readonly levelDbm0: number;
  readonly cadenceMs: readonly number[];
}

/**
 * Nominal level where a national plan gives none to hand: E.180 §3 asks for
 * about -10 dBm0; each half of a dual tone is 3 dB lower so the pair sums to it.
 */
const SINGLE_DBM0 = -10;
const DUAL_EACH_DBM0 = -13;

const PLANS: Readonly<Record<ToneCountry, Readonly<Record<CallProgressToneKind, ToneDefinition>>>> = {
  // ITU-T E.180 §2: the recommended 425 Hz plan. Ringing tone 0.67-1.5 s on,
  // 3-5 s off; busy 0.1-0.6 s on/off, equal; congestion like busy but shorter.
  default: {
    dial: { frequenciesHz: [425], levelDbm0: SINGLE_DBM0, cadenceMs: [] },
    ringback: { frequenciesHz: [425], levelDbm0: SINGLE_DBM0, cadenceMs: [1000, 4000] },
    busy: { frequenciesHz: [425], levelDbm0: SINGLE_DBM0, cadenceMs: [500, 500] },
    congestion: { frequenciesHz: [425], levelDbm0: SINGLE_DBM0, cadenceMs: [250, 250] },
    'call-waiting': { frequenciesHz: [425], levelDbm0: SINGLE_DBM0, cadenceMs: [200, 200, 200, 5000] },
  },
  // North American precise tone plan (ANSI T1.401, Telcordia GR-506): levels per frequency.
  us: {
    dial: { frequenciesHz: [350, 440], levelDbm0: -13, cadenceMs: [] },
    ringback: { frequenciesHz: [440, 480], levelDbm0: -19, cadenceMs: [2000, 4000] },
    busy: { frequenciesHz: [480, 620], levelDbm0: -24, cadenceMs: [500, 500] },
    congestion: { frequenciesHz: [480, 620], levelDbm0: -24, cadenceMs: [250, 250] },
    'call-waiting': { frequenciesHz: [440], levelDbm0: -13, cadenceMs: [300, 9700] },
  },
  // BT SIN 350 (E.180 Suppl. 2, United Kingdom).
  uk: {
    dial: { frequenciesHz: [350, 450], levelDbm0: DUAL_EACH_DBM0, cadenceMs: [] },
    ringback: { frequenciesHz: [400, 450], levelDbm0: DUAL_EACH_DBM0, cadenceMs: [400, 200, 400, 2000] },
    busy: { frequenciesHz: [400], levelDbm0: SINGLE_DBM0, cadenceMs: [375, 375] },
    congestion: { frequenciesHz: [400], levelDbm0: SINGLE_DBM0, cadenceMs: [400, 350, 225, 525] },
    'call-waiting': { frequenciesHz: [400], levelDbm0: SINGLE_DBM0, cadenceMs: [100, 4000] },
  },
  // Deutsche Telekom 1TR110 / E.180 Suppl. 2, Germany: the 425 Hz plan.
  de: {
    dial: { frequenciesHz: [425], levelDbm0: SINGLE_DBM0, cadenceMs: [] },
    ringback: { frequenciesHz: [425], levelDbm0: SINGLE_DBM0, cadenceMs: [1000, 4000] },
    busy: { frequenciesHz: [425], levelDbm0: SINGLE_DBM0, cadenceMs: [480, 480] },
    congestion: { frequenciesHz: [425], levelDbm0: SINGLE_DBM0, cadenceMs: [240, 240] },
    'call-waiting': { frequenciesHz: [425], levelDbm0: SINGLE_DBM0, cadenceMs: [200, 200, 200, 5000] },
  },
  // E.180 Suppl. 2, France: 440 Hz ("la 3").
  fr: {
    dial: { frequenciesHz: [440], levelDbm0: SINGLE_DBM0, cadenceMs: [] },
    ringback: { frequenciesHz: [440], levelDbm0: SINGLE_DBM0, cadenceMs: [1500, 3500] },
    busy: { frequenciesHz: [440], levelDbm0: SINGLE_DBM0, cadenceMs: [500, 500] },
    congestion: { frequenciesHz: [440], levelDbm0: SINGLE_DBM0, cadenceMs: [250, 250] },
    'call-waiting': { frequenciesHz: [440], levelDbm0: SINGLE_DBM0, cadenceMs: [300, 10000] },
  },
};

/** The pattern of a call-progress tone in a country's plan. */
export function callProgressTone(country: ToneCountry, kind: CallProgressToneKind): TonePattern {
  const definition = PLANS[country][kind];
  return cadencedTone({ name: `${country}/${kind}`, ...definition });
}
