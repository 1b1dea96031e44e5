/**
 * Start-up: wall time from spawning the firmware process to its log line
 * `line line1 registered` (the first 200 OK to REGISTER, after the digest
 * challenge), registering one line over UDP to a loopback Kamailio started
 * here. Measured for the bundle (`node dist/deskphone.mjs`, rebuilt first
 * when stale) and for `tsx firmware/main.ts`; bare `node -e ''` (spawn to
 * exit) is the reference peer. Also reports the bundle size.
 *
 *   npx tsx test/bench/startup-bench.ts
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findFreePort } from '../support/free-port.ts';
import { startKamailio, type KamailioInstance } from '../support/kamailio.ts';
import { makeTestTempDir } from '../support/test-temp-dir.ts';
import { ensureFreshBundle } from './bundle-freshness.ts';
import { median } from './latency-stats.ts';
import { timeToExit, timeToLogLine } from './timed-spawn.ts';

export interface StartupBenchOptions {
  /** Measured starts per variant. Default 10. */
  readonly runs?: number;
  /** Where progress lines go; default stdout. */
  readonly write?: (line: string) => void;
}

export interface StartupFigures {
  readonly minMs: number;
  readonly medianMs: number;
  readonly samplesMs: readonly number[];
}

export interface StartupBenchResult {
  readonly runs: number;
  /** `node dist/deskphone.mjs`: spawn -> `line line1 registered`. */
  readonly bundle: StartupFigures;
  /** `tsx firmware/main.ts`: spawn -> `line line1 registered`. */
  readonly tsx: StartupFigures;
  /** `node -e ''`: spawn -> exit. */
  readonly bareNode: StartupFigures;
  /** bundle median - bare node median. */
  readonly bundleOverheadMs: number;
  readonly targetMs: number;
  readonly bundleSizeBytes: number;
  readonly bundleTargetBytes: number;
  readonly bundleNote: string;
}

export const STARTUP_TARGET_MS = 400;
export const BUNDLE_TARGET_BYTES = 400 * 1024;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX_CLI = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const USER = { username: 'alice', password: 'alice-startup-secret' };
const REGISTERED_TIMEOUT_MS = 15_000;

function figures(samplesMs: number[]): StartupFigures {
  return { minMs: Math.min(...samplesMs), medianMs: median(samplesMs), samplesMs };
}

/** A config file for one start: its own free SIP port, one line registering over UDP. */
async function writeConfig(dir: string, pbx: KamailioInstance, index: number): Promise<string> {
  const port = await findFreePort();
  const config = {
    device: { board: 'sim' },
    sip: { listenAddress: '127.0.0.1', udpPort: port, tcpPort: port },
    lines: [
      {
        id: 'line1',
        user: USER.username,
        domain: 'pbx.test',
        registrar: `sip:127.0.0.1:${pbx.ports.udp};transport=udp`,
        auth: USER,
      },
    ],
    log: { level: 'info' },
  };
  const path = join(dir, `config-${index}.json`);
  await writeFile(path, JSON.stringify(config, null, 2));
  return path;
}

function timeToRegistered(command: string, args: readonly string[]): Promise<number> {
  return timeToLogLine({
    command,
    args,
    cwd: ROOT,
    isTarget: (record) => record['category'] === 'phone' && record['msg'] === 'line line1 registered',
    isFailure: (record) => record['category'] === 'phone' && record['msg'] === 'line line1 failed',
    timeoutMs: REGISTERED_TIMEOUT_MS,
  });
}

const ms = (value: number): string => `${value.toFixed(0)} ms`;

export async function runStartupBench(options: StartupBenchOptions = {}): Promise<StartupBenchResult> {
  const runs = options.runs ?? 10;
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const bundle = await ensureFreshBundle(ROOT);
  const node = process.execPath;
  const pbx = await startKamailio({ users: [USER], domain: 'pbx.test', ipv6: false, logLevel: 1 });
  try {
    const dir = await makeTestTempDir('startup-bench');
    let configIndex = 0;
    const bundleStart = async () => timeToRegistered(node, [bundle.path, '--config', await writeConfig(dir, pbx, configIndex++)]);
    const tsxStart = async () => timeToRegistered(node, [TSX_CLI, 'firmware/main.ts', '--config', await writeConfig(dir, pbx, configIndex++)]);
    const bareNode = () => timeToExit(node, ['-e', ''], ROOT);

    // One unmeasured start of each (page cache, tsx's transform cache).
    await bareNode();
    await bundleStart();
    await tsxStart();

    const samples = { bundle: [] as number[], tsx: [] as number[], bareNode: [] as number[] };
    for (let i = 0; i < runs; i++) {
      // Interleaved so that drift hits all three alike.
      samples.bareNode.push(await bareNode());
      samples.bundle.push(await bundleStart());
      samples.tsx.push(await tsxStart());
    }
    const result: StartupBenchResult = {
      runs,
      bundle: figures(samples.bundle),
      tsx: figures(samples.tsx),
      bareNode: figures(samples.bareNode),
      bundleOverheadMs: median(samples.bundle) - median(samples.bareNode),
      targetMs: STARTUP_TARGET_MS,
      bundleSizeBytes: bundle.sizeBytes,
      bundleTargetBytes: BUNDLE_TARGET_BYTES,
      bundleNote: bundle.note,
    };
    write(`Start-up: spawn -> "line line1 registered" (REGISTER/401/REGISTER/200 over UDP to loopback Kamailio), ${runs} runs each, interleaved`);
    write(`  node dist/deskphone.mjs:  min ${ms(result.bundle.minMs)}, median ${ms(result.bundle.medianMs)} (target <= ${STARTUP_TARGET_MS} ms)`);
    write(`  tsx firmware/main.ts:     min ${ms(result.tsx.minMs)}, median ${ms(result.tsx.medianMs)}`);
    write(`  node -e '' (spawn->exit): min ${ms(result.bareNode.minMs)}, median ${ms(result.bareNode.medianMs)}`);
    write(`  firmware overhead over bare Node (medians): ${ms(result.bundleOverheadMs)}; bundle/bare = ${(result.bundle.medianMs / result.bareNode.medianMs).toFixed(2)}x`);
    write(`  bundle dist/deskphone.mjs: ${(bundle.sizeBytes / 1024).toFixed(1)} KB (${bundle.sizeBytes} bytes; target <= 400 KB) - ${bundle.note}`);
    return result;
  } finally {
    await pbx.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runStartupBench();
}
