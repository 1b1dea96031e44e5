/**
 * 32-bit RTP timestamp arithmetic (RFC 3550 §5.1: the timestamp "reflects the
 * sampling instant of the first octet in the RTP data packet" and wraps at
 * 2^32). Differences are taken modulo 2^32 and read as signed, so a
 * timestamp just past the wrap is ahead of one just before it.
 */

export const RTP_TIMESTAMP_MOD = 0x1_0000_0000;

/** `timestamp + by`, wrapped to 32 bits (`by` may be negative). */
export function addTimestamp(timestamp: number, by: number): number {
  return (((timestamp + by) % RTP_TIMESTAMP_MOD) + RTP_TIMESTAMP_MOD) % RTP_TIMESTAMP_MOD;
}

/**
 * Signed distance from `from` to `to` in -2^31..2^31-1 timestamp units:
 * positive when `to` is later. `timestampDelta(0, 0xffffffff) === 1`.
 */
export function timestampDelta(to: number, from: number): number {
  return (to - from) | 0;
}

/** Whether `a` is later than `b`, across the 2^32 wrap. */
export function isTimestampNewer(a: number, b: number): boolean {
  return timestampDelta(a, b) > 0;
}

/** Timestamp units → milliseconds at `clockRateHz`. */
export function timestampUnitsToMs(units: number, clockRateHz: number): number {
  return (units * 1000) / clockRateHz;
}
