/**
 * One sub-band's ADPCM state (ITU-T G.722 §3.5–§3.6, §4.2–§4.3): the
 * quantizer scale factor in the log (`nb`: NBL/NBH) and linear (`det`:
 * DETL/DETH) domains, and the adaptive predictor (two poles, six zeros).
 * Encoder and decoder keep one per sub-band; both run the same update.
 *
 * The six zero taps are unrolled into fields (this runs twice per 16 kHz
 * sample pair). Saturation is applied wherever the reference's 16-bit
 * operators could saturate; where the operands' ranges make it impossible,
 * the bound is noted instead.
 */
import { saturate16 } from './basic-operators.ts';

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
  /** Zero coefficients BL1..BL6. */
  b1 = 0;
  b2 = 0;
  b3 = 0;
  b4 = 0;
  b5 = 0;
  b6 = 0;
  /** Quantized difference signal DLT (DH), delayed by 1..6. */
  d1 = 0;
  d2 = 0;
  d3 = 0;
  d4 = 0;
  d5 = 0;
  d6 = 0;
  /** Partially reconstructed signal PLT, delayed by 1 and 2. */
  p1 = 0;
  p2 = 0;
  /** Reconstructed signal RLT, delayed by 1 (RLT2 is only needed inside `adapt`). */
  r1 = 0;

  readonly #initialDet: number;

  /** `initialDet`: 32 for the lower sub-band, 8 for the higher (the reset state). */
  constructor(initialDet: number) {
    this.#initialDet = initialDet;
    this.det = initialDet;
  }

  reset(): void {
    this.nb = 0;
    this.det = this.#initialDet;
    this.s = this.sz = this.a1 = this.a2 = 0;
    this.b1 = this.b2 = this.b3 = this.b4 = this.b5 = this.b6 = 0;
    this.d1 = this.d2 = this.d3 = this.d4 = this.d5 = this.d6 = 0;
    this.p1 = this.p2 = this.r1 = 0;
  }

  /**
   * §3.6 / §4.3, block 4L (4H): the predictor update for a quantized difference `dq`:
   * PARREC, RECONS, UPZERO, UPPOL2, UPPOL1, DELAYA, FILTEZ, FILTEP, PREDIC.
   * Leaves the next signal estimate in `s`. Scale-factor adaptation is done by the caller first.
   */
  adapt(dq: number): void {
    const p = saturate16(dq + this.sz); // PARREC
    const r = saturate16(this.s + dq); // RECONS

    // UPZERO: sign-sign update, leakage 32640/32768. |b·32640 >> 15| ≤ 32640, ±128 stays in 16 bits.
    const step = dq === 0 ? 0 : 128;
    const negative = dq < 0;
    const b1 = ((this.d1 < 0) === negative ? step : -step) + ((this.b1 * 32640) >> 15);
    const b2 = ((this.d2 < 0) === negative ? step : -step) + ((this.b2 * 32640) >> 15);
    const b3 = ((this.d3 < 0) === negative ? step : -step) + ((this.b3 * 32640) >> 15);
    const b4 = ((this.d4 < 0) === negative ? step : -step) + ((this.b4 * 32640) >> 15);
    const b5 = ((this.d5 < 0) === negative ? step : -step) + ((this.b5 * 32640) >> 15);
    const b6 = ((this.d6 < 0) === negative ? step : -step) + ((this.b6 * 32640) >> 15);
    const d2 = this.d1;
    const d3 = this.d2;
    const d4 = this.d3;
    const d5 = this.d4;
    const d6 = this.d5;

    // UPPOL2: second pole, limited to ±12288. |wd2 >> 7| ≤ 256 and |AL2·32512 >> 15| < 12288: no saturation.
    const pNegative = p < 0;
    const same01 = pNegative === this.p1 < 0;
    const same02 = pNegative === this.p2 < 0;
    const wd1 = saturate16(this.a1 * 4);
    let a2 = ((same01 ? saturate16(-wd1) : wd1) >> 7) + (same02 ? 128 : -128) + ((this.a2 * 32512) >> 15);
    if (a2 > 12288) a2 = 12288;
    else if (a2 < -12288) a2 = -12288;

    // UPPOL1: first pole, limited to ±(15360 − AL2) ⊂ ±27648, so no saturation before the limit.
    let a1 = (same01 ? 192 : -192) + ((this.a1 * 32640) >> 15);
    const bound = 15360 - a2;
    if (a1 > bound) a1 = bound;
    else if (a1 < -bound) a1 = -bound;

    // DELAYA
    const r2 = this.r1;
    this.p2 = this.p1;
    this.p1 = p;
    this.r1 = r;
    this.a1 = a1;
    this.a2 = a2;
    this.b1 = b1;
    this.b2 = b2;
    this.b3 = b3;
    this.b4 = b4;
    this.b5 = b5;
    this.b6 = b6;
    this.d1 = dq;
    this.d2 = d2;
    this.d3 = d3;
    this.d4 = d4;
    this.d5 = d5;
    this.d6 = d6;

    // FILTEZ: from the oldest tap down, saturating the running sum as the reference does.
    // |DLT| ≤ (16384 · 2557 · 8) >> 15 = 10228 (INVQAL's largest level at the largest DETL),
    // so 2·DLT fits 16 bits and (2·DLT · BL) >> 15 cannot saturate; only the sum can.
    let sz = (d6 * 2 * b6) >> 15;
    sz = saturate16(sz + ((d5 * 2 * b5) >> 15));
    sz = saturate16(sz + ((d4 * 2 * b4) >> 15));
    sz = saturate16(sz + ((d3 * 2 * b3) >> 15));
    sz = saturate16(sz + ((d2 * 2 * b2) >> 15));
    sz = saturate16(sz + ((dq * 2 * b1) >> 15));
    this.sz = sz;

    // FILTEP + PREDIC: |AL1| ≤ 27648 and |AL2| ≤ 12288, so the products cannot saturate; their sum can.
    const sp = saturate16(((a1 * saturate16(r * 2)) >> 15) + ((a2 * saturate16(r2 * 2)) >> 15));
    this.s = saturate16(sp + sz);
  }
}
