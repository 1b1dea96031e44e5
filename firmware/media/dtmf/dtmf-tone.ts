/**
 * DTMF as tones (ITU-T Q.23): patterns for the tone generator, to send digits
 * in-band and to feed the detector. The high group is sent 2 dB above the low
 * group by default (positive twist, as most national DTMF send specs ask).
 */
import { silenceStep, type TonePattern, type ToneStep } from '../tones/tone-pattern.ts';
import { dtmfFrequenciesHz, type DtmfDigit } from './dtmf-digits.ts';

export interface DtmfToneOptions {
  /** ITU-T Q.24: at least 40 ms; phones send 70-100 ms. Default 100 ms. */
  readonly toneMs?: number;
  /** Silence after each digit; default 100 ms (Q.24: at least 40 ms). */
  readonly pauseMs?: number;
  /** Level of the low-group tone; default -8 dBm0. */
  readonly lowLevelDbm0?: number;
  /** Level of the high-group tone; default -6 dBm0. */
  readonly highLevelDbm0?: number;
}

function digitStep(digit: DtmfDigit, options: DtmfToneOptions): ToneStep {
  const { lowHz, highHz } = dtmfFrequenciesHz(digit);
  return {
    durationMs: options.toneMs ?? 100,
    components: [
      { frequencyHz: lowHz, levelDbm0: options.lowLevelDbm0 ?? -8 },
      { frequencyHz: highHz, levelDbm0: options.highLevelDbm0 ?? -6 },
    ],
  };
}

/** One or more digits as tone bursts separated by pauses, played once. */
export function dtmfTonePattern(digits: readonly DtmfDigit[] | DtmfDigit, options: DtmfToneOptions = {}): TonePattern {
  const list = typeof digits === 'string' ? [digits] : digits;
  const steps = list.flatMap((digit) => [digitStep(digit, options), silenceStep(options.pauseMs ?? 100)]);
  return { name: `dtmf ${list.join('')}`, steps, repeat: false };
}
