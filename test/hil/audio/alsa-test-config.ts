import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Why the ALSA tests cannot run here, or undefined when the native modules are built. */
export function nativeModulesMissing(): string | undefined {
  const needed = ['node_modules/speaker/build/Release/binding.node', 'node_modules/alsa-capture/build/Release/capture.node'];
  const missing = needed.filter((path) => !existsSync(join(root, path)));
  return missing.length === 0
    ? undefined
    : `native audio modules not built (${missing.join(', ')}): install libasound2-dev and run npm rebuild speaker alsa-capture`;
}

export interface AlsaTestConfig {
  /** Pass as ALSA_CONFIG_PATH to the child process. */
  readonly configPath: string;
  /** Everything played to PCM "tap" lands here, raw S16_LE. */
  readonly playbackRawPath: string;
  /** PCM "mic" captures from this file, raw S16_LE. */
  readonly captureRawPath: string;
}

/**
 * An alsa-lib configuration for a machine without a sound card, built from
 * alsa-lib's own plugins: PCM "tap" is a `file` plugin over a `null` slave
 * (playback bytes go to a raw file), PCM "mic" is a `file` plugin whose
 * `infile` supplies the capture bytes. The null slave has no clock: a
 * stream runs as fast as it is fed or read, so tests stop after N bytes.
 * `withDefault: false` leaves out pcm.default (the `speaker` module aborts
 * the process when it loads without one).
 */
export function writeAlsaTestConfig(dir: string, options: { withDefault: boolean }): AlsaTestConfig {
  const playbackRawPath = join(dir, 'played.raw');
  const captureRawPath = join(dir, 'mic.raw');
  const configPath = join(dir, 'asound.conf');
  const lines = [
    'pcm.tap {',
    '  type file',
    '  slave.pcm { type null }',
    `  file "${playbackRawPath}"`,
    '  format "raw"',
    '}',
    'pcm.mic {',
    '  type file',
    '  slave.pcm { type null }',
    '  file "/dev/null"',
    `  infile "${captureRawPath}"`,
    '  format "raw"',
    '}',
  ];
  if (options.withDefault) lines.push('pcm.!default { type null }');
  writeFileSync(configPath, `${lines.join('\n')}\n`);
  return { configPath, playbackRawPath, captureRawPath };
}
