export interface SineGeneratorOptions {
  readonly sampleRateHz: number;
  readonly frequencyHz: number;
  /** Peak level in dBFS (0 = full scale 32767). Default -10. */
  readonly levelDbfs?: number;
}

/**
 * A phase-continuous sine, one block at a time. Deliberately tiny: the tone
 * driver must not depend on the media engine's tone generators.
 */
export class SineGenerator {
  private phase = 0;
  private readonly step: number;
  private readonly amplitude: number;

  constructor(options: SineGeneratorOptions) {
    if (!(options.frequencyHz > 0 && options.frequencyHz < options.sampleRateHz / 2)) {
      throw new RangeError(`tone frequency ${options.frequencyHz} Hz must be in (0, ${options.sampleRateHz / 2}) Hz`);
    }
    const levelDbfs = options.levelDbfs ?? -10;
    if (!(levelDbfs <= 0)) throw new RangeError(`tone level ${levelDbfs} dBFS must be <= 0`);
    this.step = (2 * Math.PI * options.frequencyHz) / options.sampleRateHz;
    this.amplitude = 32767 * 10 ** (levelDbfs / 20);
  }

  /** The next `samples` samples. */
  next(samples: number): Int16Array {
    const out = new Int16Array(samples);
    for (let i = 0; i < samples; i++) {
      out[i] = Math.round(this.amplitude * Math.sin(this.phase));
      this.phase += this.step;
      if (this.phase >= 2 * Math.PI) this.phase -= 2 * Math.PI;
    }
    return out;
  }
}
