import { PacedSink, type PacedSinkOptions } from '../simulated/paced-sink.ts';
import { WavWriter } from './wav-writer.ts';

export interface FileSinkOptions extends Omit<PacedSinkOptions, 'device'> {
  /** The WAV file to record what is played into (created or truncated at start). */
  readonly path: string;
}

/**
 * Playback twin that records what it plays into a 16-bit mono WAV file, in
 * real time (one frame per frame period of the `Clock`). The header is kept
 * valid while recording and finalised on `stop()`.
 */
export class FileSink extends PacedSink {
  private writer: WavWriter | undefined;

  constructor(private readonly fileOptions: FileSinkOptions) {
    super({ ...fileOptions, device: fileOptions.path });
  }

  protected override async open(): Promise<void> {
    try {
      this.writer = new WavWriter({ path: this.fileOptions.path, sampleRateHz: this.format.sampleRateHz });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw this.core.error(code === 'ENOENT' ? 'device-missing' : 'io', `cannot create the WAV file (${code ?? String(error)})`, error);
    }
  }

  protected override async close(): Promise<void> {
    this.writer?.close();
  }

  protected override onPlayed(frame: Int16Array): void {
    try {
      this.writer?.append(frame);
    } catch (error) {
      const failure = this.core.error('io', `writing the WAV file failed: ${String(error)}`, error);
      this.logger.error(failure.message, { device: this.device });
      this.writer = undefined;
      this.core.fail();
      this.core.emit({ type: 'error', error: failure });
    }
  }
}

