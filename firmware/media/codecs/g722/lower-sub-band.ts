/**
 * Lower sub-band ADPCM (ITU-T G.722 §3.2–§3.5 encoder, §4.1–§4.2 decoder):
 * 6-bit quantizer, 4-bit inverse quantizer in the feedback loop (QUANTL,
 * INVQAL, LOGSCL, SCALEL) and, in the decoder, the 6-bit inverse quantizer
 * of mode 1 (INVQBL).
 */
import { limit14, saturate16 } from './basic-operators.ts';
import {
  ILA, LOWER_CODE_NEGATIVE, LOWER_CODE_POSITIVE, OQ4, OQ6, Q6, RIL4, RIL6, RISI6_NEGATIVE, RISIL4_NEGATIVE, WL,
} from './g722-tables.ts';
import type { SubBandState } from './sub-band-state.ts';

/** Largest decision level, Q6[30]. */
const TOP_LEVEL = Q6[30]!;
/** For c in 0..Q6[30]: the smallest interval m ≥ 1 with Q6[m] ≥ c. */
const INTERVAL_FOR_LEVEL = Uint8Array.from({ length: TOP_LEVEL + 1 }, (_, c) => {
  let m = 1;
  while (Q6[m]! < c) m++;
  return m;
});
/** INVQAL output by 4-bit code (the 6-bit code >> 2), signed, × 8. */
const INVQAL_LEVEL_X8 = Int32Array.from(RIL4, (index, code) => (RISIL4_NEGATIVE[code] ? -8 : 8) * OQ4[index]!);
/** INVQBL (mode 1) output by 6-bit code, signed, × 8. */
const INVQBL_LEVEL_X8 = Int32Array.from(RIL6, (index, code) => (RISI6_NEGATIVE[code] ? -8 : 8) * OQ6[index]!);
/** LOGSCL multiplier by 4-bit code. */
const WL_BY_CODE = Int32Array.from(RIL4, (index) => WL[index]!);

/** §3.5 LOGSCL + SCALEL: adapt the scale factor to the transmitted code. */
function adaptScale(band: SubBandState, code4: number): void {
  let nb = ((band.nb * 32512) >> 15) + WL_BY_CODE[code4]!;
  if (nb < 0) nb = 0;
  else if (nb > 18432) nb = 18432;
  band.nb = nb;
  band.det = (ILA[((nb >> 6) & 511) + 64]! + 1) << 2;
}

/**
 * §3.3 QUANTL: the 6-bit code of the difference `el` for scale factor `det`. The interval is
 * the first m (1..30) whose scaled level (Q6[m]·8·DETL) >> 15 exceeds the magnitude (one's
 * complement for negatives), else 30. Since (Q6[m]·8·DETL) >> 15 > |EL| ⟺ Q6[m] ≥ (|EL| + 1)·4096 / DETL,
 * one exact division and a table lookup replace the search (a quotient of integers below
 * 2^27 by DETL ≤ 16384 never rounds across an integer).
 */
export function quantizeLower(el: number, det: number): number {
  const magnitude = el >= 0 ? el : -el - 1;
  const level = Math.ceil(((magnitude + 1) * 4096) / det);
  const interval = level > TOP_LEVEL ? 30 : INTERVAL_FOR_LEVEL[level]!;
  return el >= 0 ? LOWER_CODE_POSITIVE[interval]! : LOWER_CODE_NEGATIVE[interval]!;
}

/** Encodes one lower sub-band sample; returns the 6-bit code IL. */
export function encodeLower(band: SubBandState, xl: number): number {
  const det = band.det;
  const il = quantizeLower(saturate16(xl - band.s), det); // §3.2 SUBTRA, §3.3 QUANTL
  // §3.4 INVQAL: the 4-bit quantized difference that drives the predictor.
  const code4 = il >> 2;
  const dq = (det * INVQAL_LEVEL_X8[code4]!) >> 15;
  adaptScale(band, code4);
  band.adapt(dq);
  return il;
}

/** Decodes one 6-bit lower sub-band code (mode 1, 64 kbit/s); returns the reconstructed sample RL, limited. */
export function decodeLower(band: SubBandState, ilr: number): number {
  const det = band.det;
  // §4.1 INVQBL (6-bit) for the output, INVQAL (4-bit) for the predictor.
  const dl = (det * INVQBL_LEVEL_X8[ilr]!) >> 15;
  const yl = limit14(saturate16(band.s + dl));
  const code4 = ilr >> 2;
  const dq = (det * INVQAL_LEVEL_X8[code4]!) >> 15;
  adaptScale(band, code4);
  band.adapt(dq);
  return yl;
}
