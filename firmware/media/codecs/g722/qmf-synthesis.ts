/**
 * ITU-T G.722 §4.4: the receive quadrature mirror filter. Each pair of
 * reconstructed sub-band samples (8 kHz) gives two 16 kHz output samples.
 */
import { saturate16 } from './basic-operators.ts';
import { QMF_COEFFICIENTS_X2 } from './g722-tables.ts';

const TAPS = 24;

function highHalfOfShiftedBy4(accumulator: number): number {
  const shifted = accumulator * 16; // L_shl(acc, 4), saturating
  const saturated = shifted > 2147483647 ? 2147483647 : shifted < -2147483648 ? -2147483648 : shifted;
  return saturated >> 16; // extract_h
}

export class QmfSynthesis {
  /** Ring buffer of 12 (sum, difference) pairs mirrored into 48 entries: sums at odd offsets, differences at even. */
  readonly #history = new Int32Array(TAPS * 2);
  #position = 0;
  /** Outputs of the last `merge()`, in time order. */
  first = 0;
  second = 0;

  reset(): void {
    this.#history.fill(0);
    this.#position = 0;
    this.first = 0;
    this.second = 0;
  }

  /** Feeds RL and RH; sets `first` and `second`. */
  merge(rl: number, rh: number): void {
    const history = this.#history;
    let position = this.#position;
    const sum = saturate16(rl + rh);
    const difference = saturate16(rl - rh);
    history[position] = sum;
    history[position + TAPS] = sum;
    history[position + 1] = difference;
    history[position + 1 + TAPS] = difference;
    position += 2;
    if (position === TAPS) position = 0;
    this.#position = position;
    const newest = position + TAPS - 1; // the newest difference; the newest sum just before it
    const h = QMF_COEFFICIENTS_X2;
    let sumEven = 0; // taps 0, 2, ...: differences, newest first
    let sumOdd = 0; // taps 1, 3, ...: sums, newest first
    for (let k = 0; k < TAPS; k += 2) {
      sumEven += h[k]! * history[newest - k]!;
      sumOdd += h[k + 1]! * history[newest - k - 1]!;
    }
    this.first = highHalfOfShiftedBy4(sumEven);
    this.second = highHalfOfShiftedBy4(sumOdd);
  }
}
