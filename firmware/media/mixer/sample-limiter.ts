/**
 * Turns a mixed (floating-point) sample into 16-bit PCM without wrapping:
 *   clip: clamp to -32768..32767 (exact below full scale, harsh above);
 *   soft: exact below the knee (-2.5 dBFS), then a tanh curve that meets the
 *         knee with slope 1 and approaches full scale without reaching past it.
 */

export type SaturationMode = 'clip' | 'soft';

const MAX = 32767;
const MIN = -32768;
/** 24576 = 0.75 of full scale (-2.5 dBFS). */
export const SOFT_KNEE = 24576;

export function limitSample(value: number, mode: SaturationMode): number {
  if (mode === 'clip') {
    const rounded = Math.round(value);
    return rounded > MAX ? MAX : rounded < MIN ? MIN : rounded;
  }
  const magnitude = Math.abs(value);
  if (magnitude <= SOFT_KNEE) return Math.round(value);
  const headroom = MAX - SOFT_KNEE;
  const shaped = SOFT_KNEE + headroom * Math.tanh((magnitude - SOFT_KNEE) / headroom);
  return Math.sign(value) * Math.min(MAX, Math.round(shaped));
}
