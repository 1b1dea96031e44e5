/**
 * Bundles the firmware into one minified ESM file plus a source map:
 * `npm run build` → dist/deskphone.mjs (+ .map). Native hardware modules stay
 * external: they are optional dependencies, built on the target, and loaded
 * lazily by their drivers.
 */
import { build } from 'esbuild';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Native (node-gyp) modules: never bundled, loaded lazily at run time. */
export const NATIVE_MODULES = ['onoff', 'i2c-bus', 'speaker', 'alsa-capture'] as const;

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = `${root}dist/deskphone.mjs`;

const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };

const result = await build({
  entryPoints: [`${root}firmware/main.ts`],
  outfile,
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: [...NATIVE_MODULES],
  define: { __DESKPHONE_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: '#!/usr/bin/env node' },
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

const sizeBytes = statSync(outfile).size;
const mapBytes = statSync(`${outfile}.map`).size;
const inputs = Object.keys(result.metafile.inputs).length;
process.stdout.write(
  `bundle: dist/deskphone.mjs ${(sizeBytes / 1024).toFixed(1)} KB minified (${sizeBytes} bytes, ${inputs} inputs), ` +
    `source map ${(mapBytes / 1024).toFixed(1)} KB; target <= 400 KB\n`,
);
