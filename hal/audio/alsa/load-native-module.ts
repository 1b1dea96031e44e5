import { AudioDeviceError } from '../audio-device-error.ts';

/** The advice every "module missing" error ends with. */
export const NATIVE_MODULE_ADVICE = 'install libasound2-dev and run npm rebuild speaker alsa-capture';

export interface LoadNativeModuleOptions {
  /** Package name as imported (`speaker`, `alsa-capture`); tests pass a name that does not exist. */
  readonly specifier: string;
  /** Device the driver is for, named in errors. */
  readonly device: string;
  /** The message prefix, e.g. `audio playback device "default"`. */
  readonly label: string;
}

function isModuleMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return (
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /Could not locate the bindings file|build\/Release|\.node\b|libasound/.test(message)
  );
}

/**
 * Imports an optional native module lazily and returns its CommonJS export
 * (a constructor). The specifier is computed, so neither tsc nor the bundler
 * resolves it, and nothing loads it until a driver asks. A package that is
 * absent or whose native build was skipped becomes an `AudioDeviceError`
 * of kind `module-missing` saying how to fix it.
 */
export async function loadNativeModule(options: LoadNativeModuleOptions): Promise<new (...args: never[]) => unknown> {
  let namespace: unknown;
  try {
    namespace = await import(options.specifier);
  } catch (error) {
    if (isModuleMissing(error)) {
      throw new AudioDeviceError(
        'module-missing',
        options.device,
        `${options.label}: the optional native module "${options.specifier}" is not available (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); ${NATIVE_MODULE_ADVICE}`,
        { cause: error },
      );
    }
    throw new AudioDeviceError('io', options.device, `${options.label}: loading "${options.specifier}" failed: ${String(error)}`, { cause: error });
  }
  const exported = (namespace as { default?: unknown } | null)?.default;
  if (typeof exported !== 'function') {
    throw new AudioDeviceError(
      'module-missing',
      options.device,
      `${options.label}: "${options.specifier}" does not export a constructor; ${NATIVE_MODULE_ADVICE}`,
    );
  }
  return exported as new (...args: never[]) => unknown;
}
