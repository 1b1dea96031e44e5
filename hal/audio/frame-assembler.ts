/**
 * Cuts a stream of sample blocks of any size (ALSA periods, file reads) into
 * frames of exactly `frameSamples`; the remainder waits for the next block.
 */
export class FrameAssembler {
  private pending: Int16Array;
  private filled = 0;

  constructor(private readonly frameSamples: number) {
    this.pending = new Int16Array(frameSamples);
  }

  /** Adds samples; returns the frames completed by them (possibly none). */
  push(samples: Int16Array): Int16Array[] {
    const frames: Int16Array[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(this.frameSamples - this.filled, samples.length - offset);
      this.pending.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.frameSamples) {
        frames.push(this.pending);
        this.pending = new Int16Array(this.frameSamples);
        this.filled = 0;
      }
    }
    return frames;
  }

  /** Samples waiting for the rest of their frame. */
  get pendingSamples(): number {
    return this.filled;
  }
}
