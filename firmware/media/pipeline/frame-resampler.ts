/**
 * Fixed-ratio sample-rate conversion of whole frames between the audio
 * device's rate and the codec's (an 8 kHz handset with G.722's 16 kHz, a
 * 16 kHz device with Opus's 48 kHz). Reuses the media loop's
 * `LinearResampler` for the stepping, with a windowed-sinc low-pass on the
 * high-rate side (before a reduction: anti-aliasing; after an increase:
 * anti-imaging) cutting at 90 % of the lower rate's Nyquist frequency.
 * Every input frame gives exactly `length × outputRate / inputRate` samples;
 * one zero sample primes the resampler, so it never runs short. Pure.
 */
import { LinearResampler } from '../loop/linear-resampler.ts';
import { LowPassFilter } from './low-pass-filter.ts';

export interface FrameResamplerOptions {
  readonly inputRateHz: number;
  readonly outputRateHz: number;
}

/** Taps per unit of rate ratio: 65 for 2:1, 193 for 6:1. */
const TAPS_PER_RATIO = 32;

export class FrameResampler {
  readonly inputRateHz: number;
  readonly outputRateHz: number;
  private readonly step: number;
  private readonly resampler = new LinearResampler();
  private readonly filter: LowPassFilter | null;

  constructor(options: FrameResamplerOptions) {
    this.inputRateHz = options.inputRateHz;
    this.outputRateHz = options.outputRateHz;
    this.step = options.inputRateHz / options.outputRateHz;
    if (options.inputRateHz === options.outputRateHz) {
      this.filter = null;
      return;
    }
    const high = Math.max(options.inputRateHz, options.outputRateHz);
    const low = Math.min(options.inputRateHz, options.outputRateHz);
    const taps = 2 * Math.round((TAPS_PER_RATIO * high) / low / 2) + 1;
    this.filter = new LowPassFilter({ sampleRateHz: high, cutoffHz: 0.45 * low, taps });
    this.resampler.push([0]);
  }

  /** True when input and output rates differ. */
  get converts(): boolean {
    return this.filter !== null;
  }

  /** Converts one frame. Throws when the frame does not map to a whole number of output samples. */
  process(frame: Int16Array): Int16Array {
    if (this.filter === null) return frame;
    const count = (frame.length * this.outputRateHz) / this.inputRateHz;
    if (!Number.isInteger(count)) throw new RangeError(`${frame.length} samples at ${this.inputRateHz} Hz are not a whole number at ${this.outputRateHz} Hz`);
    const downsampling = this.inputRateHz > this.outputRateHz;
    this.resampler.push(downsampling ? this.filter.process(frame) : frame);
    const stepped = this.resampler.pull(count, this.step) ?? padded(this.resampler.pullAll(this.step), count);
    if (downsampling) return stepped;
    const filtered = this.filter.process(stepped);
    const out = new Int16Array(count);
    for (let i = 0; i < count; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(filtered[i] as number)));
    return out;
  }
}

function padded(samples: Int16Array, count: number): Int16Array {
  const out = new Int16Array(count);
  out.set(samples.subarray(0, count));
  return out;
}
