/**
 * The 16-bit fixed-point operators the G.722 arithmetic is specified with
 * (ITU-T G.191 basic operators, as used by the G.722 reference code):
 * results saturate to the signed 16-bit range instead of wrapping.
 */

/** Clamp to -32768..32767 (`saturate`). */
export function saturate16(value: number): number {
  return value > 32767 ? 32767 : value < -32768 ? -32768 : value;
}

/** `mult`: (a·b) >> 15, saturated (only -32768·-32768 overflows). Exact in doubles: |a·b| ≤ 2^30. */
export function mult(a: number, b: number): number {
  const product = (a * b) >> 15;
  return product > 32767 ? 32767 : product;
}

/** `limit`: the G.722 sub-band and reconstructed-signal range, -16384..16383. */
export function limit14(value: number): number {
  return value > 16383 ? 16383 : value < -16384 ? -16384 : value;
}
