/**
 * ITU-T G.722 §3.1: the transmit quadrature mirror filter. Each pair of
 * 16 kHz input samples gives one lower and one higher sub-band sample at
 * 8 kHz, through the 24-tap QMF (even taps on one branch, odd on the other).
 */
import { limit14 } from './basic-operators.ts';
import { QMF_COEFFICIENTS_X2 } from './g722-tables.ts';

const TAPS = 24;

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
    const h = QMF_COEFFICIENTS_X2;
    let sumEven = 0; // taps 0, 2, ..., 22 on x(2j+1), x(2j-1), ...
    let sumOdd = 0; // taps 1, 3, ..., 23 on x(2j), x(2j-2), ...
    for (let k = 0; k < TAPS; k += 2) {
      sumEven += h[k]! * history[newest - k]!;
      sumOdd += h[k + 1]! * history[newest - k - 1]!;
    }
    this.lower = limit14(saturate32((sumEven + sumOdd) * 2) >> 16);
    this.higher = limit14(saturate32((sumEven - sumOdd) * 2) >> 16);
  }
}
