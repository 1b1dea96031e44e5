import { PacedSink, type PacedSinkOptions } from './paced-sink.ts';

export interface NullSinkOptions extends Omit<PacedSinkOptions, 'device'> {
  readonly device?: string;
}

/** Playback twin that discards what it plays (keeping the recent frames for `recordedFrames()`), paced like a real device. */
export class NullSink extends PacedSink {
  constructor(options: NullSinkOptions) {
    super({ ...options, device: options.device ?? 'null' });
  }
}
