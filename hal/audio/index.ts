/**
 * The audio HAL. Importing this module loads no native code: the ALSA
 * driver imports `speaker` / `alsa-capture` only in `start()`.
 */
export type {
  AudioDriver,
  AudioDriverName,
  AudioFormat,
  AudioSink,
  AudioSinkEvent,
  AudioSource,
  AudioSourceEvent,
  AudioStreamState,
} from './audio-device.ts';
export { AudioDeviceError, type AudioDeviceErrorKind } from './audio-device-error.ts';
export { audioFormat, frameDurationMs } from './audio-format.ts';
export { AUDIO_DRIVER_NAMES, createAudioDriver, UnknownAudioDriverError, type AudioDriverOptions } from './create-audio-driver.ts';
