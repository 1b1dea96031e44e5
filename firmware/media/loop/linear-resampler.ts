/**
 * A streaming linear-interpolation resampler with a variable step.
 *
 * `step` is input samples per output sample: 1 copies, 1.005 consumes 0.5 %
 * more input than it produces (drops samples), 0.995 inserts. Input is pushed
 * in blocks; output is taken in any size as long as input lasts. Keeps one
 * sample of look-ahead, so the delay is one input sample. Used for drift
 * compensation (step ≈ 1 ± 1 %) and for WAV files at another rate
 * (step = fileRate / deviceRate).
 */
export class LinearResampler {
  private buffer = new Float64Array(1024);
  private length = 0;
  /** Fractional read position in `buffer`. */
  private position = 0;

  push(samples: ArrayLike<number>): void {
    this.compact();
    if (this.length + samples.length > this.buffer.length) {
      const grown = new Float64Array(Math.max(this.buffer.length * 2, this.length + samples.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    for (let i = 0; i < samples.length; i++) this.buffer[this.length + i] = samples[i] as number;
    this.length += samples.length;
  }

  /** Input samples not consumed yet (the queue level, fractional). */
  get availableInput(): number {
    return Math.max(0, this.length - this.position);
  }

  /** How many output samples the buffered input allows at this step. */
  producible(step: number): number {
    const last = this.length - 1 - this.position;
    return last < 0 ? 0 : Math.floor(last / step + 1e-9) + 1;
  }

  /** `count` output samples, or undefined when the input does not last (nothing is consumed then). */
  pull(count: number, step: number): Int16Array | undefined {
    if (this.producible(step) < count) return undefined;
    const out = new Int16Array(count);
    for (let k = 0; k < count; k++) {
      const index = Math.floor(this.position);
      const fraction = this.position - index;
      const a = this.buffer[index] as number;
      const b = index + 1 < this.length ? (this.buffer[index + 1] as number) : a;
      out[k] = Math.max(-32768, Math.min(32767, Math.round(a + (b - a) * fraction)));
      this.position += step;
    }
    return out;
  }

  /** Every output sample the buffered input allows. */
  pullAll(step: number): Int16Array {
    return this.pull(this.producible(step), step) ?? new Int16Array(0);
  }

  /** Drops `samples` input samples from the front (queue over its bound). */
  discard(samples: number): void {
    this.position = Math.min(this.length, this.position + samples);
  }

  private compact(): void {
    const whole = Math.floor(this.position);
    if (whole === 0) return;
    this.buffer.copyWithin(0, whole, this.length);
    this.length -= whole;
    this.position -= whole;
  }
}
