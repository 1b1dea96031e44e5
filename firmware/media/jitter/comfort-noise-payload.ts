/**
 * RFC 3389 comfort-noise (CN) payload: one noise-level byte, then optional
 * reflection coefficients of an all-pole spectral model.
 */

export interface ComfortNoiseParameters {
  /** Noise level in dBov (0 = overload, −127 = quietest). */
  readonly levelDbov: number;
  /** Reflection coefficients k1..kN, each in (−1, 1); empty = white noise. */
  readonly reflectionCoefficients: readonly number[];
}

/**
 * RFC 3389 §3.1: the first byte's low 7 bits are the level in −dBov (0..127),
 * the top bit is unused. §3.2: each further byte is one quantised reflection
 * coefficient; we dequantise as k = (q − 127) / 128 (the mapping WebRTC's and
 * G.711 Appendix II's encoders use), clamped inside the unit circle so the
 * synthesis filter stays stable. Returns undefined for an empty payload.
 */
export function parseComfortNoisePayload(payload: Uint8Array): ComfortNoiseParameters | undefined {
  if (payload.length === 0) return undefined;
  const levelDbov = -(payload[0]! & 0x7f);
  const reflectionCoefficients: number[] = [];
  for (let i = 1; i < payload.length; i++) {
    reflectionCoefficients.push(Math.max(-0.99, Math.min(0.99, (payload[i]! - 127) / 128)));
  }
  return { levelDbov, reflectionCoefficients };
}
