import { PacedSource, type PacedSourceOptions } from './paced-source.ts';
import { SineGenerator } from './sine-generator.ts';

export interface ToneSourceOptions extends Omit<PacedSourceOptions, 'device'> {
  readonly frequencyHz: number;
  /** Peak level in dBFS. Default -10. */
  readonly levelDbfs?: number;
  /** Device name in messages; default `tone:<f>Hz`. */
  readonly device?: string;
}

/** Capture twin that hears a steady sine (a test signal instead of a microphone). */
export class ToneSource extends PacedSource {
  private readonly sine: SineGenerator;

  constructor(options: ToneSourceOptions) {
    super({ ...options, device: options.device ?? `tone:${options.frequencyHz}Hz` });
    this.sine = new SineGenerator({
      sampleRateHz: options.format.sampleRateHz,
      frequencyHz: options.frequencyHz,
      ...(options.levelDbfs === undefined ? {} : { levelDbfs: options.levelDbfs }),
    });
  }

  protected produceFrame(): Int16Array {
    return this.sine.next(this.format.frameSamples);
  }
}
