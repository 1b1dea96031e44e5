/**
 * Plays a `TonePattern` as 16-bit PCM, frame by frame, at any sample rate.
 * Pure and deterministic: time advances only by the samples rendered.
 *
 * - Oscillators are phase-continuous: each component slot keeps its phase
 *   across steps and frames, so a frequency change (warble, melody) never jumps.
 * - Every switch on or off is shaped by a raised-cosine ramp of `rampMs`
 *   inside the sounding step (so the tone sounds for its nominal time, measured
 *   between half-amplitude points it is one ramp shorter), which keeps the
 *   cadence free of clicks. Steps that continue into one another with the same
 *   components and levels are joined without a ramp.
 * - `stop()` fades out over one ramp instead of cutting the tone.
 */
import { FULL_SCALE, sineAmplitudeForDbm0 } from './dbm0.ts';
import type { TonePattern, ToneStep } from './tone-pattern.ts';

export interface ToneGeneratorOptions {
  readonly sampleRateHz: number;
  readonly pattern: TonePattern;
  /** Length of the on/off ramps; default 4 ms. */
  readonly rampMs?: number;
}

const DEFAULT_RAMP_MS = 4;

interface PreparedStep {
  readonly lengthSamples: number;
  /** Phase increment per sample (cycles) and peak amplitude for each component. */
  readonly increments: readonly number[];
  readonly amplitudes: readonly number[];
  readonly rampIn: boolean;
  readonly rampOut: boolean;
}

function raisedCosine(x: number): number {
  return x >= 1 ? 1 : x <= 0 ? 0 : 0.5 - 0.5 * Math.cos(Math.PI * x);
}

function joins(from: ToneStep | undefined, to: ToneStep | undefined): boolean {
  if (from === undefined || to === undefined) return false;
  if (from.components.length === 0 || from.components.length !== to.components.length) return false;
  return from.components.every((component, i) => component.levelDbm0 === to.components[i]?.levelDbm0);
}

export class ToneGenerator {
  readonly sampleRateHz: number;
  readonly pattern: TonePattern;
  private readonly rampSamples: number;
  private readonly steps: readonly PreparedStep[];
  private readonly phases: number[];
  private stepIndex = 0;
  private sampleInStep = 0;
  private finished = false;
  /** Samples left in a `stop()` fade, or null when not stopping. */
  private releaseLeft: number | null = null;
  private renderedSamples = 0;
  /** The very first step always fades in, even when a repeating pattern would join it to the last. */
  private firstPass = true;

  constructor(options: ToneGeneratorOptions) {
    if (!(options.sampleRateHz > 0)) throw new RangeError(`sample rate must be positive: ${options.sampleRateHz}`);
    this.sampleRateHz = options.sampleRateHz;
    this.pattern = options.pattern;
    this.rampSamples = Math.max(1, Math.round(((options.rampMs ?? DEFAULT_RAMP_MS) * options.sampleRateHz) / 1000));
    const steps = options.pattern.steps;
    const nyquistHz = options.sampleRateHz / 2;
    this.steps = steps.map((step, index) => {
      for (const c of step.components) {
        if (!(c.frequencyHz > 0 && c.frequencyHz < nyquistHz)) {
          throw new RangeError(`${options.pattern.name}: ${c.frequencyHz} Hz cannot be played at ${options.sampleRateHz} Hz`);
        }
      }
      const previous = index > 0 ? steps[index - 1] : options.pattern.repeat ? steps[steps.length - 1] : undefined;
      const next = index < steps.length - 1 ? steps[index + 1] : options.pattern.repeat ? steps[0] : undefined;
      return {
        lengthSamples: step.durationMs === Infinity ? Infinity : Math.round((step.durationMs * options.sampleRateHz) / 1000),
        increments: step.components.map((c) => c.frequencyHz / options.sampleRateHz),
        amplitudes: step.components.map((c) => sineAmplitudeForDbm0(c.levelDbm0)),
        rampIn: !joins(previous, step),
        rampOut: !joins(step, next),
      };
    });
    this.phases = new Array<number>(Math.max(0, ...steps.map((s) => s.components.length))).fill(0);
    this.finished = this.steps.length === 0 || this.steps.every((s) => s.lengthSamples === 0);
  }

  /** True once a non-repeating pattern (or a stopped one) has played out: only silence follows. */
  get done(): boolean {
    return this.finished;
  }

  /** Samples rendered so far. */
  get elapsedSamples(): number {
    return this.renderedSamples;
  }

  /** Fades the tone out over one ramp, then stays silent. */
  stop(): void {
    if (!this.finished && this.releaseLeft === null) this.releaseLeft = this.rampSamples;
  }

  /** The next `frameSamples` samples. */
  render(frameSamples: number): Int16Array {
    const out = new Int16Array(frameSamples);
    this.renderInto(out);
    return out;
  }

  /** Fills `out` with the next samples. */
  renderInto(out: Int16Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.finished ? 0 : this.nextSample();
    this.renderedSamples += out.length;
  }

  private nextSample(): number {
    let step = this.steps[this.stepIndex];
    while (step !== undefined && this.sampleInStep >= step.lengthSamples) {
      this.sampleInStep = 0;
      this.stepIndex++;
      if (this.stepIndex >= this.steps.length) {
        if (!this.pattern.repeat) {
          this.finished = true;
          return 0;
        }
        this.stepIndex = 0;
        this.firstPass = false;
      }
      step = this.steps[this.stepIndex];
    }
    if (step === undefined) return 0;
    const n = this.sampleInStep++;
    let envelope = 1;
    if (step.rampIn || (this.firstPass && this.stepIndex === 0)) envelope *= raisedCosine((n + 0.5) / this.rampSamples);
    if (step.rampOut) envelope *= raisedCosine((step.lengthSamples - n - 0.5) / this.rampSamples);
    if (this.releaseLeft !== null) {
      envelope *= raisedCosine(this.releaseLeft / this.rampSamples);
      this.releaseLeft--;
      if (this.releaseLeft <= 0) this.finished = true;
    }
    let value = 0;
    for (let c = 0; c < step.increments.length; c++) {
      const phase = this.phases[c] ?? 0;
      value += (step.amplitudes[c] ?? 0) * Math.sin(2 * Math.PI * phase);
      const advanced = phase + (step.increments[c] ?? 0);
      this.phases[c] = advanced - Math.floor(advanced);
    }
    if (!this.pattern.repeat && this.stepIndex === this.steps.length - 1 && this.sampleInStep >= step.lengthSamples) this.finished = true;
    const sample = Math.round(value * envelope);
    return sample >= FULL_SCALE ? FULL_SCALE - 1 : sample < -FULL_SCALE ? -FULL_SCALE : sample;
  }
}
