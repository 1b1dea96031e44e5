import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set to keep the harness' temp dirs (logs, configs, traces) after the run. */
export const KEEP_TEST_TMP_ENV = 'DESKPHONE_KEEP_TEST_TMP';

const dirs = new Set<string>();
let hookInstalled = false;

/**
 * A fresh private directory under the OS temp dir (short path: unix socket
 * paths must stay under 108 bytes), removed when the test process exits
 * unless DESKPHONE_KEEP_TEST_TMP is set.
 */
export async function makeTestTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `deskphone-${prefix}-`));
  dirs.add(dir);
  if (!hookInstalled) {
    hookInstalled = true;
    process.on('exit', () => {
      if (process.env[KEEP_TEST_TMP_ENV]) return;
      for (const path of dirs) rmSync(path, { recursive: true, force: true });
    });
  }
  return dir;
}
