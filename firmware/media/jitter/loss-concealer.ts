/**
 * Packet-loss concealment by pitch-period repetition (in the manner of ITU-T
 * G.711 Appendix I and NetEq's expand): the last pitch period of the played
 * history is repeated, its end overlap-added onto the samples before its
 * start so the loop has no seam; after `fadeStartMs` the repetition is
 * attenuated linearly, reaching silence `fadeLengthMs` later, so a long loss
 * neither buzzes nor stops with a click. Resuming real audio is the caller's
 * cross-fade from `next()` into the decoded samples.
 */
import { findPitchLag } from './pitch-search.ts';

export interface LossConcealerOptions {
  readonly sampleRateHz: number;
  readonly minPeriodMs?: number;
  readonly maxPeriodMs?: number;
  /** Full-level repetition before attenuation starts. */
  readonly fadeStartMs?: number;
  /** Attenuation from full level to silence. */
  readonly fadeLengthMs?: number;
}

export class LossConcealer {
  /** History needed by `begin` for a full pitch search. */
  readonly historySamples: number;
  private readonly minLag: number;
  private readonly maxLag: number;
  private readonly fadeStartSamples: number;
  private readonly fadeLengthSamples: number;
  private loop: Float32Array = new Float32Array(1);
  private phase = 0;
  private generated = 0;
  /** Offset added to the first repetition, decaying to 0 over `joinLength` samples. */
  private joinOffset = 0;
  private joinLength = 1;

  constructor(options: LossConcealerOptions) {
    const samplesPerMs = options.sampleRateHz / 1000;
    this.minLag = Math.max(1, Math.round((options.minPeriodMs ?? 2.5) * samplesPerMs));
    this.maxLag = Math.round((options.maxPeriodMs ?? 15) * samplesPerMs);
    this.fadeStartSamples = Math.round((options.fadeStartMs ?? 20) * samplesPerMs);
    this.fadeLengthSamples = Math.max(1, Math.round((options.fadeLengthMs ?? 60) * samplesPerMs));
    this.historySamples = 2 * this.maxLag + Math.ceil(this.maxLag / 4);
  }

  /** Starts concealing after `history` (the most recent samples, oldest first). */
  begin(history: Float32Array): void {
    this.generated = 0;
    this.phase = 0;
    this.joinOffset = 0;
    const length = history.length;
    if (length < this.minLag * 2) {
      this.loop = new Float32Array(Math.max(1, this.minLag));
      return;
    }
    const windowSamples = Math.min(this.maxLag, length - this.maxLag);
    const estimate = findPitchLag(history, {
      referenceStart: length - windowSamples,
      windowSamples,
      minLagSamples: this.minLag,
      maxLagSamples: Math.min(this.maxLag, length - windowSamples),
      direction: -1,
    });
    const period = estimate.lagSamples;
    const loop = history.slice(length - period);
    // Overlap-add the loop's end onto the samples just before its start, so
    // that wrapping from loop end to loop start is continuous.
    const overlap = Math.min(Math.ceil(period / 4), length - period);
    for (let j = 0; j < overlap; j++) {
      const weight = (j + 1) / (overlap + 1);
      const index = period - overlap + j;
      loop[index] = loop[index]! * (1 - weight) + history[length - period - overlap + j]! * weight;
    }
    this.loop = loop;
    // History that is not quite periodic (a cross-fade, a fade-in, gliding pitch) leaves a step
    // between its last sample and the repetition's first. Shift the repetition's start to the
    // straight-line continuation of the history and let the shift die away over half a period.
    const predicted = 2 * history[length - 1]! - history[length - 2]!;
    this.joinOffset = predicted - loop[0]!;
    this.joinLength = Math.max(this.minLag, Math.round(period / 2));
  }

  /** The next `count` concealment samples. */
  next(count: number): Float32Array {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const join = this.generated < this.joinLength ? this.joinOffset * (1 - this.generated / this.joinLength) : 0;
      out[i] = (this.loop[this.phase]! + join) * this.gainAt(this.generated);
      this.phase = (this.phase + 1) % this.loop.length;
      this.generated++;
    }
    return out;
  }

  /** True once attenuation has reached silence. */
  get faded(): boolean {
    return this.gainAt(this.generated) === 0;
  }

  private gainAt(sampleIndex: number): number {
    if (sampleIndex < this.fadeStartSamples) return 1;
    return Math.max(0, 1 - (sampleIndex - this.fadeStartSamples) / this.fadeLengthSamples);
  }
}
