/**
 * The one error type of the audio HAL. `kind` says what went wrong, `device`
 * which device (as configured); the message always names the device.
 */
export type AudioDeviceErrorKind =
  /** The configured device does not exist or cannot be opened. */
  | 'device-missing'
  /** An optional native module (`speaker`, `alsa-capture`) is not installed or not built. */
  | 'module-missing'
  /** The device or file cannot do the requested format (rate, channels, sample width). */
  | 'format'
  /** A frame of the wrong length was written or injected. */
  | 'frame-size'
  /** A call in the wrong state: write before start, start twice, stop after stop. */
  | 'state'
  /** The device failed while running. */
  | 'io';

export class AudioDeviceError extends Error {
  override readonly name = 'AudioDeviceError';

  constructor(
    readonly kind: AudioDeviceErrorKind,
    readonly device: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
