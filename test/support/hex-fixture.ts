import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Hex text → bytes; `#` starts a comment, whitespace is ignored. Throws on odd or non-hex input. */
export function parseHex(text: string): Uint8Array {
  const digits = text
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`not an even run of hex digits: ${digits.slice(0, 40)}...`);
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

/** Reads test/fixtures/<relativePath> (a commented hex dump) as bytes. */
export function readHexFixture(relativePath: string): Uint8Array {
  return parseHex(readFileSync(join(fixturesDir, relativePath), 'utf8'));
}

/** Bytes → lowercase hex, for readable assertion failures. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
