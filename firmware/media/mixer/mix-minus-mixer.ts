/**
 * Mix-minus for a local 3-way conference (or any N legs): every leg hears the
 * sum of all the others and never itself. Legs are named (`mic`, `remote-a`,
 * `remote-b`); each has a gain in dB and a mute that apply to what the others
 * hear of it. Frames must all have the same size and sample rate (resampling
 * happens before the mixer). Pure and synchronous.
 *
 * The sum is formed once in floating point (S = Σ gᵢ·xᵢ) and each output is
 * S - gⱼ·xⱼ, then limited to 16 bits (clip or soft knee, `sample-limiter.ts`);
 * samples whose sum went past full scale are counted per output.
 */
import { gainForDb } from '../tones/dbm0.ts';
import { limitSample, type SaturationMode } from './sample-limiter.ts';

export interface MixerLegOptions {
  readonly id: string;
  readonly gainDb?: number;
  readonly muted?: boolean;
}

export interface MixMinusMixerOptions {
  readonly legs: readonly (string | MixerLegOptions)[];
  readonly frameSamples: number;
  /** Default `soft`. */
  readonly saturation?: SaturationMode;
}

interface Leg {
  readonly id: string;
  gain: number;
  muted: boolean;
  overloadedSamples: number;
}

export class MixMinusMixer {
  readonly frameSamples: number;
  private readonly saturation: SaturationMode;
  private readonly legs = new Map<string, Leg>();
  private readonly sum: Float64Array;

  constructor(options: MixMinusMixerOptions) {
    if (!(Number.isInteger(options.frameSamples) && options.frameSamples > 0)) throw new RangeError(`frame size must be a positive integer: ${options.frameSamples}`);
    this.frameSamples = options.frameSamples;
    this.saturation = options.saturation ?? 'soft';
    this.sum = new Float64Array(options.frameSamples);
    for (const entry of options.legs) {
      const leg = typeof entry === 'string' ? { id: entry } : entry;
      if (this.legs.has(leg.id)) throw new Error(`mixer leg named twice: ${leg.id}`);
      this.legs.set(leg.id, { id: leg.id, gain: gainForDb(leg.gainDb ?? 0), muted: leg.muted ?? false, overloadedSamples: 0 });
    }
  }

  get legIds(): string[] {
    return [...this.legs.keys()];
  }

  /** What the other legs hear of this one, in dB. */
  setGainDb(legId: string, gainDb: number): void {
    this.leg(legId).gain = gainForDb(gainDb);
  }

  /** A muted leg is heard by no one (it still hears the others). */
  setMuted(legId: string, muted: boolean): void {
    this.leg(legId).muted = muted;
  }

  /** Samples of this leg's output whose sum went past full scale and were limited, since creation. */
  overloadedSamples(legId: string): number {
    return this.leg(legId).overloadedSamples;
  }

  /**
   * One frame per leg in, one frame per leg out. A leg without a frame this
   * time (lost packet, no device) is silent; a frame of the wrong size is refused.
   */
  mix(inputs: ReadonlyMap<string, Int16Array>): Map<string, Int16Array> {
    for (const [id, frame] of inputs) {
      this.leg(id);
      if (frame.length !== this.frameSamples) throw new RangeError(`mixer leg ${id}: frame of ${frame.length} samples, expected ${this.frameSamples}`);
    }
    const sum = this.sum;
    sum.fill(0);
    for (const leg of this.legs.values()) {
      const frame = inputs.get(leg.id);
      if (frame === undefined || leg.muted) continue;
      for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] ?? 0) + leg.gain * (frame[i] ?? 0);
    }
    const outputs = new Map<string, Int16Array>();
    for (const leg of this.legs.values()) {
      const frame = inputs.get(leg.id);
      const own = frame === undefined || leg.muted ? 0 : leg.gain;
      const out = new Int16Array(this.frameSamples);
      for (let i = 0; i < out.length; i++) {
        const value = (sum[i] ?? 0) - own * (frame?.[i] ?? 0);
        if (value > 32767 || value < -32768) leg.overloadedSamples++;
        out[i] = limitSample(value, this.saturation);
      }
      outputs.set(leg.id, out);
    }
    return outputs;
  }

  private leg(id: string): Leg {
    const leg = this.legs.get(id);
    if (leg === undefined) throw new Error(`no mixer leg named ${id}`);
    return leg;
  }
}
