import { readFile } from 'node:fs/promises';
import { LinearResampler } from '../../../firmware/media/loop/linear-resampler.ts';
import { PacedSource, type PacedSourceOptions } from '../simulated/paced-source.ts';
import { pcm16Samples, readWav, WavFormatError } from './wav-reader.ts';

export interface FileSourceOptions extends Omit<PacedSourceOptions, 'device'> {
  /** The WAV file to "hear": RIFF/WAVE, PCM 16-bit, mono. */
  readonly path: string;
  /** Start again at the end instead of emitting `ended`. Default false. */
  readonly loop?: boolean;
  /**
   * A file at another sample rate is resampled (linear interpolation) when
   * true (default); when false it is refused with a `format` error.
   */
  readonly resample?: boolean;
}

/**
 * Capture twin that plays a WAV file into the phone, one frame per frame
 * period of the `Clock`. The last partial frame is padded with silence; then
 * the source loops or emits `ended` and delivers nothing more.
 */
export class FileSource extends PacedSource {
  private samples: Int16Array = new Int16Array(0);
  private offset = 0;

  constructor(private readonly fileOptions: FileSourceOptions) {
    super({ ...fileOptions, device: fileOptions.path });
  }

  protected override async open(): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.fileOptions.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw this.core.error(code === 'ENOENT' ? 'device-missing' : 'io', `cannot read the WAV file (${code ?? String(error)})`, error);
    }
    let contents;
    try {
      contents = readWav(bytes);
    } catch (error) {
      if (error instanceof WavFormatError) throw this.core.error('format', error.message, error);
      throw error;
    }
    if (contents.formatTag !== 1 || contents.bitsPerSample !== 16) {
      throw this.core.error(
        'format',
        `WAV file is format ${contents.formatTag}, ${contents.bitsPerSample}-bit; only PCM 16-bit is read (convert: sox in.wav -b 16 -e signed out.wav)`,
      );
    }
    if (contents.channels !== 1) {
      throw this.core.error('format', `WAV file has ${contents.channels} channels; only mono is read (convert: sox in.wav -c 1 out.wav)`);
    }
    let samples = pcm16Samples(contents);
    const deviceRateHz = this.format.sampleRateHz;
    if (contents.sampleRateHz !== deviceRateHz) {
      if (this.fileOptions.resample === false) {
        throw this.core.error(
          'format',
          `WAV file is ${contents.sampleRateHz} Hz, the device runs at ${deviceRateHz} Hz and resampling is off (convert: sox in.wav -r ${deviceRateHz} out.wav)`,
        );
      }
      this.logger.info('resampling WAV file', { device: this.device, fileRateHz: contents.sampleRateHz, deviceRateHz });
      const resampler = new LinearResampler();
      resampler.push(samples);
      samples = resampler.pullAll(contents.sampleRateHz / deviceRateHz);
    }
    if (samples.length === 0) throw this.core.error('format', 'WAV file holds no samples');
    this.samples = samples;
  }

  protected produceFrame(): Int16Array | undefined {
    const frameSamples = this.format.frameSamples;
    if (this.offset >= this.samples.length) {
      if (!this.fileOptions.loop) return undefined;
      this.offset = 0;
    }
    const frame = new Int16Array(frameSamples);
    let filled = 0;
    while (filled < frameSamples) {
      const take = Math.min(frameSamples - filled, this.samples.length - this.offset);
      frame.set(this.samples.subarray(this.offset, this.offset + take), filled);
      filled += take;
      this.offset += take;
      if (this.offset >= this.samples.length) {
        if (!this.fileOptions.loop) break; // pad the last frame with silence
        this.offset = 0;
      }
    }
    return frame;
  }
}
