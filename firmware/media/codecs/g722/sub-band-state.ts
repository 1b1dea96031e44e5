/**
 * One sub-band's ADPCM state (ITU-T G.722 §3.5–§3.6, §4.2–§4.3): the
 * quantizer scale factor in the log (`nb`: NBL/NBH) and linear (`det`:
 * DETL/DETH) domains, and the adaptive predictor (two poles, six zeros).
 * Encoder and decoder keep one per sub-band; both run the same update.
 */
import { mult, saturate16 } from './basic-operators.ts';

export class SubBandState {
  /** Log scale factor NBL/NBH. */
  nb = 0;
  /** Linear scale factor DETL/DETH. */
  det: number;
  /** Signal estimate SL/SH (pole + zero section). */
  s = 0;
  /** Zero-section estimate SZL/SZH. */
  sz = 0;
  /** Pole coefficients AL1/AL2 (AH1/AH2). */
  a1 = 0;
  a2 = 0;
  /** Zero coefficients BL1..BL6 at indices 1..6. */
  readonly b = new Int32Array(7);
  /** Quantized difference signal DLT (DH): index 0 newest, 1..6 delayed. */
  readonly d = new Int32Array(7);
  /** Partially reconstructed signal PLT, delayed by 1 and 2. */
  p1 = 0;
  p2 = 0;
  /** Reconstructed signal RLT, delayed by 1 and 2. */
  r1 = 0;
  r2 = 0;

  readonly #initialDet: number;

  /** `initialDet`: 32 for the lower sub-band, 8 for the higher (§6 reset state). */
  constructor(initialDet: number) {
    this.#initialDet = initialDet;
    this.det = initialDet;
  }

  reset(): void {
    this.nb = 0;
    this.det = this.#initialDet;
    this.s = 0;
    this.sz = 0;
    this.a1 = 0;
    this.a2 = 0;
    this.b.fill(0);
    this.d.fill(0);
    this.p1 = 0;
    this.p2 = 0;
    this.r1 = 0;
    this.r2 = 0;
  }

  /**
   * §3.6 / §4.3, block 4L (4H): the predictor update for a quantized difference `dq`:
   * PARREC, RECONS, UPZERO, UPPOL2, UPPOL1, DELAYA, FILTEZ, FILTEP, PREDIC.
   * Leaves the next signal estimate in `s`. Scale-factor adaptation is done by the caller first.
   */
  adapt(dq: number): void {
    const p = saturate16(dq + this.sz); // PARREC
    const r = saturate16(this.s + dq); // RECONS

    // UPZERO: sign-sign update of the six zero coefficients, leakage 32640/32768; then delay DLT.
    const b = this.b;
    const d = this.d;
    const step = dq === 0 ? 0 : 128;
    const dqNegative = dq < 0;
    d[0] = dq;
    for (let i = 6; i > 0; i--) {
      const wd2 = (d[i]! < 0) === dqNegative ? step : -step;
      b[i] = saturate16(wd2 + mult(b[i]!, 32640));
      d[i] = d[i - 1]!;
    }

    // UPPOL2: second pole coefficient, limited to ±12288.
    const pNegative = p < 0;
    const same01 = pNegative === this.p1 < 0;
    const same02 = pNegative === this.p2 < 0;
    const wd1 = saturate16(this.a1 * 4);
    const wd2 = (same01 ? saturate16(-wd1) : wd1) >> 7;
    let a2 = saturate16(saturate16(wd2 + (same02 ? 128 : -128)) + mult(this.a2, 32512));
    if (a2 > 12288) a2 = 12288;
    else if (a2 < -12288) a2 = -12288;

    // UPPOL1: first pole coefficient, limited to ±(15360 − AL2) for stability.
    let a1 = saturate16((same01 ? 192 : -192) + mult(this.a1, 32640));
    const bound = 15360 - a2;
    if (a1 > bound) a1 = bound;
    else if (a1 < -bound) a1 = -bound;

    // DELAYA
    this.p2 = this.p1;
    this.p1 = p;
    this.a1 = a1;
    this.a2 = a2;
    this.r2 = this.r1;
    this.r1 = r;

    // FILTEZ: zero section over the delayed difference signal.
    let sz = 0;
    for (let i = 6; i > 0; i--) sz = saturate16(sz + mult(saturate16(d[i]! * 2), b[i]!));
    this.sz = sz;

    // FILTEP and PREDIC: pole section over the delayed reconstructed signal.
    const sp = saturate16(mult(a1, saturate16(r * 2)) + mult(a2, saturate16(this.r2 * 2)));
    this.s = saturate16(sp + sz);
  }
}
