/**
 * Higher sub-band ADPCM (ITU-T G.722 §3.2–§3.5, §4.1–§4.2): 2-bit quantizer
 * and inverse quantizer (QUANTH, INVQAH, LOGSCH, SCALEH).
 */
import { limit14, saturate16 } from './basic-operators.ts';
import { HIGHER_CODE_NEGATIVE, HIGHER_CODE_POSITIVE, IH2, ILA, OQ2, Q2, SIH_NEGATIVE, WH } from './g722-tables.ts';
import type { SubBandState } from './sub-band-state.ts';

/** INVQAH output by 2-bit code, signed, × 8. */
const INVQAH_LEVEL_X8 = Int32Array.from(IH2, (index, code) => (SIH_NEGATIVE[code] ? -8 : 8) * OQ2[index]!);
/** LOGSCH multiplier by 2-bit code. */
const WH_BY_CODE = Int32Array.from(IH2, (index) => WH[index]!);

/** §3.5 LOGSCH + SCALEH. */
function adaptScale(band: SubBandState, ih: number): void {
  let nb = ((band.nb * 32512) >> 15) + WH_BY_CODE[ih]!;
  if (nb < 0) nb = 0;
  else if (nb > 22528) nb = 22528;
  band.nb = nb;
  band.det = (ILA[(nb >> 6) & 511]! + 1) << 2;
}

/** Encodes one higher sub-band sample; returns the 2-bit code IH. */
export function encodeHigher(band: SubBandState, xh: number): number {
  const eh = saturate16(xh - band.s);
  const magnitude = eh >= 0 ? eh : -eh - 1;
  const det = band.det;
  const outer = magnitude >= (Q2 * 8 * det) >> 15;
  const ih = eh >= 0 ? HIGHER_CODE_POSITIVE[outer ? 2 : 1]! : HIGHER_CODE_NEGATIVE[outer ? 2 : 1]!;
  const dq = (det * INVQAH_LEVEL_X8[ih]!) >> 15;
  adaptScale(band, ih);
  band.adapt(dq);
  return ih;
}

/** Decodes one 2-bit higher sub-band code; returns the reconstructed sample RH, limited. */
export function decodeHigher(band: SubBandState, ih: number): number {
  const det = band.det;
  const dq = (det * INVQAH_LEVEL_X8[ih]!) >> 15;
  const yh = limit14(saturate16(band.s + dq));
  adaptScale(band, ih);
  band.adapt(dq);
  return yh;
}
