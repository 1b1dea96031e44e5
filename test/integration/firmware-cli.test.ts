// The firmware as a user runs it: `npm start -- --config <file>` (tsx on the
// sources) and the esbuild bundle `node dist/deskphone.mjs --config <file>`,
// as separate processes, against a real Kamailio.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '../support/free-port.ts';
import { startKamailio, type KamailioInstance } from '../support/kamailio.ts';
import { probeSipOptions } from '../support/sip-options-probe.ts';
import { makeTestTempDir } from '../support/test-temp-dir.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX_CLI = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const BUNDLE = join(ROOT, 'dist/deskphone.mjs');

interface Firmware {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

function runFirmware(args: readonly string[]): Firmware {
  const child = spawn(process.execPath, [...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const wake of [...waiters]) wake();
  });
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stderr: () => stderr,
    exited,
    waitForLog(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = stderr.split('\n').find((l) => pattern.test(l));
          if (line === undefined) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(line);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms; stderr:\n${stderr.slice(-2000)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
  };
}

let pbx: KamailioInstance;
let dir: string;
const children: ChildProcess[] = [];

before(async () => {
  pbx = await startKamailio({ users: [{ username: 'alice', password: 'alice-secret' }], domain: 'pbx.test' });
  dir = await makeTestTempDir('deskphone-cli-');
  const build = spawnSync(process.execPath, [TSX_CLI, 'build/bundle.ts'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build failed:\n${build.stderr}`);
});

after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await pbx?.stop();
});

async function writeConfig(name: string, config: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(config, null, 2));
  return file;
}

for (const variant of [
  { name: 'sources (npm start)', entry: [TSX_CLI, 'firmware/main.ts'] },
  { name: 'bundle (dist/deskphone.mjs)', entry: [BUNDLE] },
]) {
  describe(`firmware from the ${variant.name}`, () => {
    test('registers a line from its config file, answers OPTIONS, and unregisters on SIGTERM', async () => {
      const port = await findFreePort();
      const config = await writeConfig(`phone-${port}.json`, {
        sip: { listenAddress: '127.0.0.1', udpPort: port, tcpPort: port },
        lines: [
          { id: 'line1', user: 'alice', domain: 'pbx.test', registrar: `sip:127.0.0.1:${pbx.ports.udp}`, auth: { username: 'alice', password: 'alice-secret' } },
        ],
      });
      const firmware = runFirmware([...variant.entry, '--config', config, '--board', 'sim']);
      children.push(firmware.child);
      const registered = JSON.parse(await firmware.waitForLog(/"msg":"line line1 registered"/)) as Record<string, unknown>;
      assert.equal(registered.level, 'info');
      assert.equal(registered.category, 'phone');
      assert.deepEqual(await pbx.registeredContacts('sip:alice@pbx.test'), [`sip:alice@127.0.0.1:${port}`]);

      // Callable by IP at once: it answers OPTIONS itself (RFC 3261 §11.2).
      const answer = await probeSipOptions({ port, timeoutMs: 2000 });
      assert.match(answer, /^SIP\/2\.0 200 OK\r\n/);
      assert.match(answer, /^Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r$/m);

      firmware.child.kill('SIGTERM');
      assert.equal(await firmware.exited, 0);
      assert.deepEqual(await pbx.registeredContacts('sip:alice@pbx.test'), [], 'unregistered on the way out');
      assert.doesNotMatch(firmware.stderr(), /internal error|TypeError|ReferenceError/);
    });
  });
}

describe('refusing to start half-configured', () => {
  test('an invalid config file: every problem listed with its path, exit code 2, nothing listening', async () => {
    const port = await findFreePort();
    const config = await writeConfig('broken.json', {
      sip: { udpPort: port, tcpPort: 'five' },
      lines: [{ id: 'line1', user: 'alice', domain: 'pbx.test', registerExpireSec: 60 }],
    });
    const firmware = runFirmware([TSX_CLI, 'firmware/main.ts', '--config', config]);
    children.push(firmware.child);
    assert.equal(await firmware.exited, 2);
    const stderr = firmware.stderr();
    assert.match(stderr, /broken\.json is invalid \(2 problems\)/);
    assert.match(stderr, /- sip\.tcpPort: /);
    assert.match(stderr, /- lines\[0\]: Unrecognized key: "registerExpireSec"/);
    assert.match(stderr, /The phone was not started\./);
  });

  test('an unknown board is refused naming the known ones', async () => {
    const firmware = runFirmware([BUNDLE, '--board', 'rpi9']);
    children.push(firmware.child);
    assert.equal(await firmware.exited, 2);
    assert.match(firmware.stderr(), /unknown board "rpi9" \(known boards: .*sim.*\)/);
  });

  test('a SIP port already in use is named in a clear error, exit code 1', async () => {
    const port = await findFreePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const config = await writeConfig('busy.json', { sip: { listenAddress: '127.0.0.1', udpPort: null, tcpPort: port } });
      const firmware = runFirmware([BUNDLE, '--config', config]);
      children.push(firmware.child);
      assert.equal(await firmware.exited, 1);
      assert.match(firmware.stderr(), new RegExp(`SIP port already in use on 127\\.0\\.0\\.1 \\(UDP off, TCP ${port}\\)`));
    } finally {
      blocker.close();
    }
  });
});
