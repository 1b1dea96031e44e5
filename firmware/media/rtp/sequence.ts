/**
 * 16-bit RTP sequence number arithmetic (RFC 3550 §5.1: "The sequence number
 * increments by one for each RTP data packet sent"; it wraps from 65535 to
 * 0). Serial-number comparison in the style of RFC 1982: of two numbers, the
 * one less than half the space ahead is the newer.
 */

/** RFC 3550 Appendix A.1 `RTP_SEQ_MOD`. */
export const RTP_SEQ_MOD = 0x1_0000;

/** `sequence + by`, wrapped to 16 bits. */
export function addSequence(sequence: number, by: number): number {
  return (((sequence + by) % RTP_SEQ_MOD) + RTP_SEQ_MOD) % RTP_SEQ_MOD;
}

/**
 * Signed distance from `from` to `to` in -32768..32767: positive when `to`
 * is ahead. `sequenceDelta(65535, 0) === 1`.
 */
export function sequenceDelta(to: number, from: number): number {
  const forward = (to - from) & 0xffff;
  return forward >= 0x8000 ? forward - RTP_SEQ_MOD : forward;
}

/** Whether `a` comes after `b`, across the 65535 → 0 wrap. */
export function isSequenceNewer(a: number, b: number): boolean {
  return sequenceDelta(a, b) > 0;
}
