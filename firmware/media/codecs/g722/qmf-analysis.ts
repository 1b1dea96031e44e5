/**
 * ITU-T G.722 §3.1: the transmit quadrature mirror filter. Each pair of
 * 16 kHz input samples gives one lower and one higher sub-band sample at
 * 8 kHz, through the 24-tap QMF (even taps on one branch, odd on the other).
 */
import { limit14 } from './basic-operators.ts';
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

function saturate32(value: number): number {
  return value > 2147483647 ? 2147483647 : value < -2147483648 ? -2147483648 : value;
}

export class QmfAnalysis {
  /**
   * The last 24 input samples, newest last, kept twice over (ring buffer of
   * 24 mirrored into 48) so a window is always contiguous.
   */
  readonly #history = new Int32Array(TAPS * 2);
  #position = 0;
  /** Outputs of the last `split()`. */
  lower = 0;
  higher = 0;

  reset(): void {
    this.#history.fill(0);
    this.#position = 0;
    this.lower = 0;
    this.higher = 0;
  }

  /** Feeds the samples x(2j) then x(2j+1); sets `lower` (xL) and `higher` (xH). */
  split(first: number, second: number): void {
    const history = this.#history;
    let position = this.#position;
    history[position] = first;
    history[position + TAPS] = first;
    history[position + 1] = second;
    history[position + 1 + TAPS] = second;
    position += 2;
    if (position === TAPS) position = 0;
    this.#position = position;
    // Window oldest..newest is history[position .. position+23]; tap k applies to the sample k steps back.
    const newest = position + TAPS - 1;
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
    this.lower = limit14(saturate32((sumEven + sumOdd) * 2) >> 16);
    this.higher = limit14(saturate32((sumEven - sumOdd) * 2) >> 16);
  }
}
