/**
 * The RFC 4475 / RFC 5118 torture corpus, read in place from
 * ../shared/torture (or $SIP_TORTURE_DIR); never copied into the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = process.env['DESKPHONE_ROOT'] ?? fileURLToPath(new URL('../../', import.meta.url));

export const TORTURE_DIR = process.env['SIP_TORTURE_DIR'] ?? resolve(repoRoot, '..', 'shared', 'torture');

export interface TortureEntry {
  readonly tag: string;
  readonly file: string;
  readonly rfc: string;
  readonly section: string;
  readonly title: string;
  readonly expect: 'accept' | 'reject' | 'either';
  readonly scored: boolean;
}

/** True when the corpus (its manifest) is where the tests look for it. */
export function tortureCorpusPresent(): boolean {
  return existsSync(join(TORTURE_DIR, 'manifest.json'));
}

export function readTortureManifest(): TortureEntry[] {
  const manifestPath = join(TORTURE_DIR, 'manifest.json');
  const manifest: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (typeof manifest !== 'object' || manifest === null || !('messages' in manifest) || !Array.isArray(manifest.messages)) {
    throw new Error(`${manifestPath}: no "messages" array`);
  }
  return manifest.messages.map((raw: unknown): TortureEntry => {
    if (typeof raw !== 'object' || raw === null) throw new Error('manifest entry is not an object');
    const record = raw as Record<string, unknown>;
    const text = (key: string): string => {
      const value = record[key];
      if (typeof value !== 'string') throw new Error(`manifest entry field ${key} is not a string`);
      return value;
    };
    const expect = text('expect');
    if (expect !== 'accept' && expect !== 'reject' && expect !== 'either') throw new Error(`unknown expect ${expect}`);
    return { tag: text('tag'), file: text('file'), rfc: text('rfc'), section: text('section'), title: text('title'), expect, scored: record['scored'] === true };
  });
}

export function readTortureMessage(entry: TortureEntry): Buffer {
  return readFileSync(join(TORTURE_DIR, entry.file));
}
