/**
 * Levels in dBm0 for 16-bit linear PCM. ITU-T G.711 §5 / Table 2a: the
 * A-law "digital milliwatt" is 0 dBm0 and a full-scale sine (peak ±32768)
 * is +3.14 dBm0 (μ-law: +3.17 dBm0; the 0.03 dB difference is ignored here).
 */

export const FULL_SCALE = 32768;
/** ITU-T G.711: level of a sine whose peak reaches full scale. */
export const FULL_SCALE_SINE_DBM0 = 3.14;

/** Peak amplitude (in PCM units) of a sine at `levelDbm0`. */
export function sineAmplitudeForDbm0(levelDbm0: number): number {
  return FULL_SCALE * 10 ** ((levelDbm0 - FULL_SCALE_SINE_DBM0) / 20);
}

/** Level in dBm0 of a sine with this peak amplitude. */
export function dbm0ForSineAmplitude(amplitude: number): number {
  return FULL_SCALE_SINE_DBM0 + 20 * Math.log10(amplitude / FULL_SCALE);
}

/** Level in dBm0 of a signal with this RMS value (any waveform: power relative to the 0 dBm0 sine). */
export function dbm0ForRms(rms: number): number {
  return dbm0ForSineAmplitude(rms * Math.SQRT2);
}

/** Mean power of a stretch of samples, as a level in dBm0 (-Infinity for silence). */
export function measureLevelDbm0(samples: ArrayLike<number>, start = 0, end = samples.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) {
    const v = samples[i] ?? 0;
    sum += v * v;
  }
  return dbm0ForRms(Math.sqrt(sum / Math.max(1, end - start)));
}

/** A gain in dB as a linear factor. */
export function gainForDb(gainDb: number): number {
  return 10 ** (gainDb / 20);
}
