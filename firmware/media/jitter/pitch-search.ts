/**
 * Finds the lag at which a signal best resembles itself (normalised
 * cross-correlation), i.e. its pitch period or a multiple of it. Used by
 * time-stretching (which lag can be dropped or repeated without a seam) and
 * by loss concealment (which stretch of history to repeat).
 */

export interface PitchSearchOptions {
  /** Index of the reference window's first sample. */
  readonly referenceStart: number;
  readonly windowSamples: number;
  readonly minLagSamples: number;
  readonly maxLagSamples: number;
  /** +1: compare with the window `lag` samples later; -1: `lag` samples earlier. */
  readonly direction: 1 | -1;
}

export interface PitchEstimate {
  readonly lagSamples: number;
  /** Normalised cross-correlation at that lag, −1..1 (0 when a window is silent). */
  readonly correlation: number;
}

export function findPitchLag(signal: Float32Array, options: PitchSearchOptions): PitchEstimate {
  const { referenceStart, windowSamples, minLagSamples, maxLagSamples, direction } = options;
  let referenceEnergy = 0;
  for (let i = 0; i < windowSamples; i++) {
    const value = signal[referenceStart + i] ?? 0;
    referenceEnergy += value * value;
  }
  let best: PitchEstimate = { lagSamples: maxLagSamples, correlation: 0 };
  for (let lag = minLagSamples; lag <= maxLagSamples; lag++) {
    const otherStart = referenceStart + direction * lag;
    if (otherStart < 0 || otherStart + windowSamples > signal.length) continue;
    let cross = 0;
    let otherEnergy = 0;
    for (let i = 0; i < windowSamples; i++) {
      const other = signal[otherStart + i]!;
      cross += (signal[referenceStart + i] ?? 0) * other;
      otherEnergy += other * other;
    }
    const denominator = Math.sqrt(referenceEnergy * otherEnergy);
    const correlation = denominator > 0 ? cross / denominator : 0;
    if (correlation > best.correlation + 1e-9) best = { lagSamples: lag, correlation };
  }
  return best;
}
