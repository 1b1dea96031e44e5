/**
 * The firmware version. The bundle has it compiled in (esbuild `define`);
 * running from source, it is read from package.json next to the tree.
 */
import { readFileSync } from 'node:fs';

declare const __DESKPHONE_VERSION__: string | undefined;

function readPackageVersion(): string {
  try {
    const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    const parsed: unknown = JSON.parse(text);
    const version = typeof parsed === 'object' && parsed !== null ? (parsed as { version?: unknown }).version : undefined;
    return typeof version === 'string' ? version : '0.0.0-unknown';
  } catch {
    return '0.0.0-unknown';
  }
}

export const FIRMWARE_VERSION: string =
  typeof __DESKPHONE_VERSION__ === 'string' ? __DESKPHONE_VERSION__ : readPackageVersion();
