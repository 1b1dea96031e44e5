import { PacedSource, type PacedSourceOptions } from './paced-source.ts';

export interface NullSourceOptions extends Omit<PacedSourceOptions, 'device'> {
  readonly device?: string;
}

/** Capture twin that hears silence, paced like a real device. */
export class NullSource extends PacedSource {
  constructor(options: NullSourceOptions) {
    super({ ...options, device: options.device ?? 'null' });
  }

  protected produceFrame(): Int16Array {
    return new Int16Array(this.format.frameSamples);
  }
}
