/**
 * NTP timestamps as RTCP carries them (RFC 3550 §4): 32 bits of seconds since
 * 1 January 1900 and 32 bits of fraction; the "compact" 32-bit form used in
 * LSR / DLSR is the middle 32 bits, in units of 1/65536 s.
 */

/** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (Unix epoch). */
export const NTP_UNIX_OFFSET_SECONDS = 2_208_988_800;

export interface NtpTimestamp {
  /** Most significant word: whole seconds since 1900, modulo 2^32. */
  readonly seconds: number;
  /** Least significant word: fraction of a second in units of 2^-32 s. */
  readonly fraction: number;
}

/** Wall-clock milliseconds since the Unix epoch → 64-bit NTP timestamp. */
export function ntpFromUnixMs(unixMs: number): NtpTimestamp {
  const wholeSeconds = Math.floor(unixMs / 1000);
  const fractionMs = unixMs - wholeSeconds * 1000;
  return {
    seconds: (wholeSeconds + NTP_UNIX_OFFSET_SECONDS) >>> 0,
    fraction: Math.min(0xffff_ffff, Math.floor((fractionMs / 1000) * 0x1_0000_0000)),
  };
}

/** RFC 3550 §6.4.1 LSR: "the middle 32 bits out of 64 in the NTP timestamp". */
export function ntpMiddle32(ntp: NtpTimestamp): number {
  return (((ntp.seconds & 0xffff) << 16) | (ntp.fraction >>> 16)) >>> 0;
}

/** Compact NTP units (1/65536 s) → milliseconds. */
export function compactNtpToMs(units: number): number {
  return (units * 1000) / 0x1_0000;
}

/** Milliseconds → compact NTP units (1/65536 s), rounded, clamped to 32 bits. */
export function msToCompactNtp(ms: number): number {
  return Math.max(0, Math.min(0xffff_ffff, Math.round((ms * 0x1_0000) / 1000)));
}
