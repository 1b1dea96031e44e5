#!/usr/bin/env node
// Runs the test suites with Node's own test runner (TypeScript through tsx).
//   node test/run.mjs                 type-check, then every suite
//   node test/run.mjs unit            one suite (unit | integration | hil)
//   node test/run.mjs test/unit/x.test.ts   given files (or folders)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const suites = ['unit', 'integration', 'hil'];

function findTests(dir) {
  let found = [];
  let entries;
  try { entries = readdirSync(dir); } catch { return found; }
  for (const name of entries.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found = found.concat(findTests(path));
    else if (name.endsWith('.test.ts')) found.push(relative(root, path));
  }
  return found;
}

const args = process.argv.slice(2);
let files = [];
let typecheck = args.length === 0;
for (const arg of args) {
  if (suites.includes(arg)) files = files.concat(findTests(join(root, 'test', arg)));
  else if (statSync(join(root, arg), { throwIfNoEntry: false })?.isDirectory()) files = files.concat(findTests(join(root, arg)));
  else files.push(arg);
}
if (args.length === 0) for (const suite of suites) files = files.concat(findTests(join(root, 'test', suite)));

if (typecheck) {
  process.stdout.write('# type-checking (tsc --noEmit)\n');
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root], { stdio: 'inherit', cwd: root });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}

if (files.length === 0) {
  process.stdout.write('no test files found\n');
  process.exit(1);
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { stdio: 'inherit', cwd: root, env: { ...process.env, DESKPHONE_ROOT: root } },
);
process.exit(result.status ?? 1);
