/**
 * Decoded (or generated) PCM between the decoder and the output: the
 * not-yet-played "future" samples, each tagged with its playout kind, plus
 * the recently played history that concealment and cross-fades look back on.
 */
import { PLAYOUT_KIND_PRIORITY, type PlayoutKind } from './playout-kind.ts';

export interface TakenSamples {
  readonly pcm: Float32Array;
  /** Index into PLAYOUT_KIND_PRIORITY per sample. */
  readonly kinds: Uint8Array;
}

function kindIndex(kind: PlayoutKind): number {
  return PLAYOUT_KIND_PRIORITY.indexOf(kind);
}

export class SampleQueue {
  private samples: Float32Array;
  private kinds: Uint8Array;
  /** First unplayed sample. */
  private readIndex = 0;
  /** One past the last sample. */
  private writeIndex = 0;

  constructor(private readonly historySamples: number) {
    this.samples = new Float32Array(Math.max(1024, historySamples * 4));
    this.kinds = new Uint8Array(this.samples.length);
  }

  /** Unplayed samples. */
  get available(): number {
    return this.writeIndex - this.readIndex;
  }

  push(samples: Float32Array, kind: PlayoutKind): void {
    this.reserve(samples.length);
    this.samples.set(samples, this.writeIndex);
    this.kinds.fill(kindIndex(kind), this.writeIndex, this.writeIndex + samples.length);
    this.writeIndex += samples.length;
  }

  take(count: number): TakenSamples {
    const end = this.readIndex + count;
    const pcm = this.samples.slice(this.readIndex, end);
    const kinds = this.kinds.slice(this.readIndex, end);
    this.readIndex = end;
    return { pcm, kinds };
  }

  /** The last `count` samples written (played or not), oldest first; zero-padded at the front if fewer exist. */
  tail(count: number): Float32Array {
    const out = new Float32Array(count);
    const available = Math.min(count, this.writeIndex);
    out.set(this.samples.subarray(this.writeIndex - available, this.writeIndex), count - available);
    return out;
  }

  /** A copy of the unplayed samples. */
  future(): Float32Array {
    return this.samples.slice(this.readIndex, this.writeIndex);
  }

  /** Replaces the unplayed samples (after time-stretching them) and tags them all with `kind`. */
  replaceFuture(samples: Float32Array, kind: PlayoutKind): void {
    this.writeIndex = this.readIndex;
    this.push(samples, kind);
  }

  private reserve(extra: number): void {
    // Drop history older than needed, then grow if still short.
    const keepFrom = Math.max(0, this.readIndex - this.historySamples);
    if (keepFrom > 0 && this.writeIndex + extra > this.samples.length) {
      this.samples.copyWithin(0, keepFrom, this.writeIndex);
      this.kinds.copyWithin(0, keepFrom, this.writeIndex);
      this.readIndex -= keepFrom;
      this.writeIndex -= keepFrom;
    }
    if (this.writeIndex + extra > this.samples.length) {
      const size = Math.max(this.samples.length * 2, this.writeIndex + extra);
      const samples = new Float32Array(size);
      samples.set(this.samples.subarray(0, this.writeIndex));
      const kinds = new Uint8Array(size);
      kinds.set(this.kinds.subarray(0, this.writeIndex));
      this.samples = samples;
      this.kinds = kinds;
    }
  }
}
