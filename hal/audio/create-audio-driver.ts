import { systemClock, type Clock } from '../../firmware/core/clock.ts';
import { silentLogger, type Logger } from '../../firmware/log/logger.ts';
import type { AudioDriver, AudioDriverName, AudioFormat } from './audio-device.ts';
import { AlsaSink } from './alsa/alsa-sink.ts';
import { AlsaSource } from './alsa/alsa-source.ts';
import { FileSink } from './file/file-sink.ts';
import { FileSource } from './file/file-source.ts';
import { NullSink } from './simulated/null-sink.ts';
import { NullSource } from './simulated/null-source.ts';
import { ToneSource } from './simulated/tone-source.ts';

export const AUDIO_DRIVER_NAMES: readonly AudioDriverName[] = ['alsa', 'file', 'tone', 'null'];

export interface AudioDriverOptions {
  readonly format: AudioFormat;
  /** Paces the simulated drivers and the ALSA sink's underrun estimate. Default: the system clock. */
  readonly clock?: Clock;
  /** Parent logger (category `hal.audio`); each driver logs under `hal.audio.<name>`. */
  readonly logger?: Logger;
  readonly alsa?: {
    /** ALSA PCM names; default `default` for both. */
    readonly captureDevice?: string;
    readonly playbackDevice?: string;
    /** Capture period; default 10 ms. */
    readonly periodMs?: number;
  };
  readonly file?: {
    /** WAV file the phone "hears" (PCM 16-bit mono). */
    readonly inputPath: string;
    /** WAV file that records what the phone plays; omitted: played audio is discarded. */
    readonly outputPath?: string;
    readonly loop?: boolean;
    /** Resample a file at another rate (default) or refuse it. */
    readonly resample?: boolean;
  };
  readonly tone?: {
    /** Default 1000 Hz. */
    readonly frequencyHz?: number;
    /** Default -10 dBFS. */
    readonly levelDbfs?: number;
  };
  /** Simulated drivers (file, tone, null): sample-clock skew vs the system clock in ppm. Default 0. */
  readonly clockSkewPpm?: number;
}

export class UnknownAudioDriverError extends Error {
  override readonly name = 'UnknownAudioDriverError';
}

/**
 * Builds the audio driver named in the configuration. Nothing is opened and
 * no native module is loaded here: the ALSA driver loads `speaker` and
 * `alsa-capture` in `start()`, after probing the device.
 */
export function createAudioDriver(name: string, options: AudioDriverOptions): AudioDriver {
  const clock = options.clock ?? systemClock;
  const parent = options.logger ?? silentLogger;
  const { format } = options;
  const skew = options.clockSkewPpm === undefined ? {} : { clockSkewPpm: options.clockSkewPpm };
  switch (name) {
    case 'alsa': {
      const logger = parent.child('alsa');
      const periodMs = options.alsa?.periodMs;
      return {
        name,
        source: new AlsaSource({
          device: options.alsa?.captureDevice ?? 'default',
          format,
          logger,
          ...(periodMs === undefined ? {} : { periodMs }),
        }),
        sink: new AlsaSink({ device: options.alsa?.playbackDevice ?? 'default', format, clock, logger }),
      };
    }
    case 'file': {
      const file = options.file;
      if (!file?.inputPath) throw new UnknownAudioDriverError('audio driver "file" needs file.inputPath (a WAV file to capture from)');
      const logger = parent.child('file');
      return {
        name,
        source: new FileSource({
          path: file.inputPath,
          format,
          clock,
          logger,
          ...skew,
          ...(file.loop === undefined ? {} : { loop: file.loop }),
          ...(file.resample === undefined ? {} : { resample: file.resample }),
        }),
        sink: file.outputPath
          ? new FileSink({ path: file.outputPath, format, clock, logger, ...skew })
          : new NullSink({ format, clock, logger, ...skew }),
      };
    }
    case 'tone': {
      const logger = parent.child('tone');
      return {
        name,
        source: new ToneSource({
          format,
          clock,
          logger,
          ...skew,
          frequencyHz: options.tone?.frequencyHz ?? 1000,
          ...(options.tone?.levelDbfs === undefined ? {} : { levelDbfs: options.tone.levelDbfs }),
        }),
        sink: new NullSink({ format, clock, logger, ...skew }),
      };
    }
    case 'null': {
      const logger = parent.child('null');
      return { name, source: new NullSource({ format, clock, logger, ...skew }), sink: new NullSink({ format, clock, logger, ...skew }) };
    }
    default:
      throw new UnknownAudioDriverError(`unknown audio driver "${name}" (known: ${AUDIO_DRIVER_NAMES.join(', ')})`);
  }
}
