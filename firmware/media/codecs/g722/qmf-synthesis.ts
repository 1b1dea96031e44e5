/**
 * ITU-T G.722 §4.4: the receive quadrature mirror filter. Each pair of
 * reconstructed sub-band samples (8 kHz) gives two 16 kHz output samples.
 */
import { saturate16 } from './basic-operators.ts';
import { QMF_COEFFICIENTS_X2 } from './g722-tables.ts';

const TAPS = 24;
const H0 = QMF_COEFFICIENTS_X2[0]!;
const H1 = QMF_COEFFICIENTS_X2[1]!;
const H2 = QMF_COEFFICIENTS_X2[2]!;
const H3 = QMF_COEFFICIENTS_X2[3]!;
const H4 = QMF_COEFFICIENTS_X2[4]!;
const H5 = QMF_COEFFICIENTS_X2[5]!;
const H6 = QMF_COEFFICIENTS_X2[6]!;
const H7 = QMF_COEFFICIENTS_X2[7]!;
const H8 = QMF_COEFFICIENTS_X2[8]!;
const H9 = QMF_COEFFICIENTS_X2[9]!;
const H10 = QMF_COEFFICIENTS_X2[10]!;
const H11 = QMF_COEFFICIENTS_X2[11]!;
const H12 = QMF_COEFFICIENTS_X2[12]!;
const H13 = QMF_COEFFICIENTS_X2[13]!;
const H14 = QMF_COEFFICIENTS_X2[14]!;
const H15 = QMF_COEFFICIENTS_X2[15]!;
const H16 = QMF_COEFFICIENTS_X2[16]!;
const H17 = QMF_COEFFICIENTS_X2[17]!;
const H18 = QMF_COEFFICIENTS_X2[18]!;
const H19 = QMF_COEFFICIENTS_X2[19]!;
const H20 = QMF_COEFFICIENTS_X2[20]!;
const H21 = QMF_COEFFICIENTS_X2[21]!;
const H22 = QMF_COEFFICIENTS_X2[22]!;
const H23 = QMF_COEFFICIENTS_X2[23]!;

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
    // Unrolled: taps 0, 2, ..., 22 on one branch, 1, 3, ..., 23 on the other (newest sample first).
    const sumEven =
      H0 * history[newest]! +
      H2 * history[newest - 2]! +
      H4 * history[newest - 4]! +
      H6 * history[newest - 6]! +
      H8 * history[newest - 8]! +
      H10 * history[newest - 10]! +
      H12 * history[newest - 12]! +
      H14 * history[newest - 14]! +
      H16 * history[newest - 16]! +
      H18 * history[newest - 18]! +
      H20 * history[newest - 20]! +
      H22 * history[newest - 22]!;
    const sumOdd =
      H1 * history[newest - 1]! +
      H3 * history[newest - 3]! +
      H5 * history[newest - 5]! +
      H7 * history[newest - 7]! +
      H9 * history[newest - 9]! +
      H11 * history[newest - 11]! +
      H13 * history[newest - 13]! +
      H15 * history[newest - 15]! +
      H17 * history[newest - 17]! +
      H19 * history[newest - 19]! +
      H21 * history[newest - 21]! +
      H23 * history[newest - 23]!;
    this.first = highHalfOfShiftedBy4(sumEven);
    this.second = highHalfOfShiftedBy4(sumOdd);
  }
}
