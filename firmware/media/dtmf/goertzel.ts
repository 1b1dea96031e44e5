/**
 * The Goertzel algorithm (G. Goertzel, "An algorithm for the evaluation of
 * finite trigonometric series", 1958): the DFT of a block at one frequency
 * with one multiply per sample. The frequency need not fall on a DFT bin.
 */

export interface GoertzelBlock {
  readonly frequencyHz: number;
  readonly sampleRateHz: number;
  /** First sample of the block; default 0. */
  readonly start?: number;
  /** Block length in samples; default to the end of `samples`. */
  readonly length?: number;
}

/** |X(f)|² of the block: Σ x[n]·e^(-j2πfn/fs), squared magnitude. */
export function goertzelPower(samples: ArrayLike<number>, block: GoertzelBlock): number {
  const start = block.start ?? 0;
  const length = block.length ?? samples.length - start;
  const coefficient = 2 * Math.cos((2 * Math.PI * block.frequencyHz) / block.sampleRateHz);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < start + length; i++) {
    const s0 = (samples[i] ?? 0) + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
}

/** Peak amplitude of the component at `frequencyHz` (2·|X|/N): a sine of amplitude A reads ≈ A. */
export function goertzelAmplitude(samples: ArrayLike<number>, block: GoertzelBlock): number {
  const length = block.length ?? samples.length - (block.start ?? 0);
  return length > 0 ? (2 * Math.sqrt(Math.max(0, goertzelPower(samples, block)))) / length : 0;
}
