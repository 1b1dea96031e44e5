import { AudioDeviceError } from './audio-device-error.ts';
import type { AudioFormat } from './audio-device.ts';

export interface AudioFormatOptions {
  readonly sampleRateHz: number;
  /** Frame duration; 20 ms unless told. */
  readonly frameMs?: number;
}

/**
 * Builds a checked `AudioFormat` from a rate and a frame duration
 * (8000 Hz, 20 ms → 160 samples). Throws `AudioDeviceError` (kind `format`)
 * for a rate or duration that does not give a whole number of samples.
 */
export function audioFormat(options: AudioFormatOptions, device = 'audio'): AudioFormat {
  const frameMs = options.frameMs ?? 20;
  const { sampleRateHz } = options;
  if (!Number.isInteger(sampleRateHz) || sampleRateHz < 4000 || sampleRateHz > 192_000) {
    throw new AudioDeviceError('format', device, `audio device "${device}": sample rate ${sampleRateHz} Hz is not an integer in 4000..192000`);
  }
  const frameSamples = (sampleRateHz * frameMs) / 1000;
  if (!Number.isInteger(frameSamples) || frameSamples <= 0) {
    throw new AudioDeviceError(
      'format',
      device,
      `audio device "${device}": a ${frameMs} ms frame at ${sampleRateHz} Hz is not a whole number of samples`,
    );
  }
  return { sampleRateHz, frameSamples, channels: 1 };
}

/** Frame duration in milliseconds. */
export function frameDurationMs(format: AudioFormat): number {
  return (format.frameSamples * 1000) / format.sampleRateHz;
}
