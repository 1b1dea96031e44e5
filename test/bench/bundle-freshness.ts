/**
 * Makes sure dist/deskphone.mjs reflects the sources before it is measured:
 * rebuilds it (`npm run build`) when it is missing or older than any file
 * under firmware/, hal/, ui/, build/, board-configs/ or package.json.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface BundleStatus {
  readonly path: string;
  readonly sizeBytes: number;
  /** What happened: 'up to date', 'built', or 'build failed; measuring the existing bundle'. */
  readonly note: string;
}

const SOURCE_DIRS = ['firmware', 'hal', 'ui', 'build', 'board-configs'];

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, name)));
  return newest;
}

function runBuild(root: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => resolve({ ok: false, output: `${output}${error.message}` }));
    child.once('exit', (code) => resolve({ ok: code === 0, output }));
  });
}

export async function ensureFreshBundle(root: string): Promise<BundleStatus> {
  const path = join(root, 'dist', 'deskphone.mjs');
  const sourcesMs = Math.max(...SOURCE_DIRS.map((dir) => newestMtimeMs(join(root, dir))), newestMtimeMs(join(root, 'package.json')));
  let note = 'up to date';
  if (!existsSync(path) || statSync(path).mtimeMs < sourcesMs) {
    const build = await runBuild(root);
    if (build.ok) note = 'rebuilt (sources were newer)';
    else if (existsSync(path)) note = `build failed; measuring the existing bundle (${build.output.trim().split('\n').slice(-3).join(' | ')})`;
    else throw new Error(`npm run build failed and there is no dist/deskphone.mjs:\n${build.output}`);
  }
  return { path, sizeBytes: statSync(path).size, note };
}
