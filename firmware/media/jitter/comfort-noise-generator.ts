/**
 * Comfort-noise generation for RFC 3389 CN packets: seeded white noise
 * through an all-pole lattice filter built from the packet's reflection
 * coefficients, scaled so the output RMS is the packet's level. Level changes
 * glide over `rampMs` instead of stepping. Deterministic for a given seed.
 */
import type { ComfortNoiseParameters } from './comfort-noise-payload.ts';

export interface ComfortNoiseGeneratorOptions {
  readonly sampleRateHz: number;
  readonly seed?: number;
  readonly rampMs?: number;
}

/**
 * RFC 3389 §3.1: 0 dBov is the system's overload point — for 16-bit linear
 * PCM a full-scale square wave, whose RMS is 32767.
 */
const OVERLOAD_RMS = 32767;

export class ComfortNoiseGenerator {
  private readonly rampSamples: number;
  private state: number;
  private coefficients: number[] = [];
  /** Lattice backward-error memory, one per stage. */
  private backward: Float64Array = new Float64Array(0);
  /** Gain applied to unit-variance excitation; glides toward `targetGain`. */
  private gain = 0;
  private targetGain = 0;
  private gainStep = 0;
  private configured = false;

  constructor(options: ComfortNoiseGeneratorOptions) {
    this.rampSamples = Math.max(1, Math.round(((options.rampMs ?? 20) * options.sampleRateHz) / 1000));
    this.state = (options.seed ?? 0x2545f491) >>> 0 || 1;
  }

  get isConfigured(): boolean {
    return this.configured;
  }

  /** Adopts new noise parameters (from a CN packet). */
  update(parameters: ComfortNoiseParameters): void {
    this.coefficients = [...parameters.reflectionCoefficients];
    if (this.backward.length !== this.coefficients.length) this.backward = new Float64Array(this.coefficients.length);
    // An all-pole lattice multiplies white-noise power by 1 / Π(1 − k²).
    let predictionGain = 1;
    for (const k of this.coefficients) predictionGain *= 1 - k * k;
    const targetRms = OVERLOAD_RMS * 10 ** (parameters.levelDbov / 20);
    this.targetGain = targetRms * Math.sqrt(predictionGain);
    if (!this.configured) this.gain = this.targetGain;
    this.gainStep = (this.targetGain - this.gain) / this.rampSamples;
    this.configured = true;
  }

  generate(count: number): Float32Array {
    const out = new Float32Array(count);
    const order = this.coefficients.length;
    for (let n = 0; n < count; n++) {
      if (this.gain !== this.targetGain) {
        const next = this.gain + this.gainStep;
        this.gain = (this.gainStep > 0 ? next >= this.targetGain : next <= this.targetGain) ? this.targetGain : next;
      }
      // Lattice synthesis, stages N..1: f_{i-1} = f_i − k_i·b_{i-1}[n−1]; b_i[n] = k_i·f_{i-1} + b_{i-1}[n−1]; y = b_0[n] = f_0.
      let forward = this.nextUniform() * this.gain;
      for (let i = order; i >= 1; i--) {
        const k = this.coefficients[i - 1]!;
        const previousBackward = this.backward[i - 1]!;
        forward -= k * previousBackward;
        if (i < order) this.backward[i] = k * forward + previousBackward;
      }
      if (order > 0) this.backward[0] = forward;
      out[n] = forward;
    }
    return out;
  }

  /** Unit-variance uniform white noise (xorshift32). */
  private nextUniform(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return (x / 0x1_0000_0000 - 0.5) * 2 * Math.sqrt(3);
  }
}
