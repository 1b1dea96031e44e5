import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBinary } from './find-binary.ts';
import { findFreePort } from './free-port.ts';
import { spawnManaged, type ProcessExit } from './managed-process.ts';
import { isSocketBound } from './socket-bound.ts';
import { makeTestTempDir } from './test-temp-dir.ts';

/** Directory of the scenario files that ship with the harness. */
export const SIPP_SCENARIO_DIR = fileURLToPath(new URL('./sipp-scenarios/', import.meta.url));

export interface StartSippOptions {
  /**
   * Scenario: a file name in test/support/sipp-scenarios ('register-200' or
   * 'register-200.xml'), or a path to another scenario file.
   */
  readonly scenario: string;
  /** 'uas' waits for requests on `port`; 'uac' sends to `remote`. */
  readonly role: 'uas' | 'uac';
  /** Local port. Default: a free one (see `SippRun.port`). */
  readonly port?: number;
  /** Local loopback address. Default 127.0.0.1. */
  readonly host?: string;
  /** 'host:port' of the peer; required for 'uac'. */
  readonly remote?: string;
  /** Default 'udp'. (Debian's sipp is built without TLS.) */
  readonly transport?: 'udp' | 'tcp';
  /** Scenario keywords: each becomes `-key name value`, used as [name]. */
  readonly vars?: Readonly<Record<string, string | number>>;
  /** Credentials for the [authentication] keyword (-au / -ap). */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Calls to run before exiting (-m). Default 1. */
  readonly calls?: number;
  /**
   * Overall limit: sipp's own -timeout (which then exits non-zero via
   * -timeout_error); the process is killed 2 s after it if still running.
   * Default 10000.
   */
  readonly timeoutMs?: number;
  /** More sipp arguments, appended last. */
  readonly extraArgs?: readonly string[];
}

export interface SippResult {
  /**
   * sipp's exit code: 0 all calls succeeded, 1 some call failed, 97 exit
   * by internal command, 99 no call processed, 255 fatal error, 254 could
   * not bind; null when killed by a signal.
   */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when the harness had to kill it (hard timeout or stop()). */
  readonly killed: boolean;
  /** Everything useful in an assertion message: command, exit, errors, screens, message trace. */
  readonly log: string;
  /** The -trace_msg message trace (every SIP message sent and received). */
  readonly messages: string;
  /** sipp's stdout: its final scenario and statistics screens. */
  readonly stdout: string;
  readonly stderr: string;
  /** -trace_err: unexpected messages. */
  readonly errors: string;
}

export interface SippRun {
  readonly host: string;
  readonly port: number;
  /** Private temp dir with the traces. */
  readonly dir: string;
  readonly messagesPath: string;
  readonly command: readonly string[];
  /** Settles when sipp exits (never rejects). */
  readonly done: Promise<SippResult>;
  /** Ends sipp early (SIGTERM, SIGKILL after 2 s) and returns its result. */
  stop(): Promise<SippResult>;
}

const DEFAULT_VARS: Readonly<Record<string, string>> = {
  // used by register-sha256.xml
  realm: 'pbx.test',
};

function resolveScenario(scenario: string): string {
  if (isAbsolute(scenario) || scenario.includes('/')) return scenario;
  const file = scenario.endsWith('.xml') ? scenario : `${scenario}.xml`;
  return join(SIPP_SCENARIO_DIR, file);
}

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs Debian's sipp (package sip-tester) with a scenario, as UAS or UAC on
 * a loopback port, tracing every message into a temp dir. Resolves once
 * sipp has bound its local port (so a UAS is ready for requests) or has
 * already exited; `done` gives the exit code and logs.
 */
export async function startSipp(options: StartSippOptions): Promise<SippRun> {
  const sippPath = findBinary({ name: 'sipp', debianPackage: 'sip-tester' });
  const scenarioPath = resolveScenario(options.scenario);
  if (!existsSync(scenarioPath)) throw new Error(`sipp scenario not found: ${scenarioPath}`);
  if (options.role === 'uac' && !options.remote) throw new Error('startSipp: role uac needs `remote` (host:port)');
  const host = options.host ?? '127.0.0.1';
  const transport = options.transport ?? 'udp';
  // Never let sipp choose: its default local port is 5060.
  const port = options.port ?? (await findFreePort({ hosts: [host], protocols: [transport] }));
  // sipp binds RTP sockets (default 6000+) even when only signalling:
  // a free base port keeps parallel sipp runs apart.
  const mediaPort = await findFreePort({ hosts: [host], protocols: ['udp'] });
  const timeoutMs = options.timeoutMs ?? 10000;
  const dir = await makeTestTempDir('sipp');
  const messagesPath = join(dir, 'messages.log');
  const errorsPath = join(dir, 'errors.log');
  const stdoutPath = join(dir, 'stdout.log');
  const stderrPath = join(dir, 'stderr.log');

  const args: string[] = ['-sf', scenarioPath];
  if (options.role === 'uac' && options.remote) args.push(options.remote);
  args.push(
    '-i', host,
    '-p', String(port),
    '-t', transport === 'udp' ? 'u1' : 't1',
    '-mp', String(mediaPort),
    '-m', String(options.calls ?? 1),
    '-nostdin',
    // Answer stray OPTIONS pings; fail a call at once on an unexpected
    // message; never send BYE/CANCEL on our own.
    '-default_behaviors', 'pingreply,abortunexp',
    '-timeout', `${Math.ceil(timeoutMs)}ms`,
    '-timeout_error',
    '-trace_msg', '-message_file', messagesPath,
    '-trace_err', '-error_file', errorsPath,
  );
  const vars = { ...DEFAULT_VARS, ...options.vars };
  for (const [name, value] of Object.entries(vars)) args.push('-key', name, String(value));
  if (options.auth) args.push('-au', options.auth.username, '-ap', options.auth.password);
  args.push(...(options.extraArgs ?? []));

  const proc = spawnManaged({ command: sippPath, args, cwd: dir, stdoutPath, stderrPath });
  let killed = false;
  const hardTimer = setTimeout(() => {
    killed = true;
    void proc.stop({ killAfterMs: 500 });
  }, timeoutMs + 2000);

  const command = [sippPath, ...args];
  const done = proc.exited.then(async (exit: ProcessExit): Promise<SippResult> => {
    clearTimeout(hardTimer);
    const [messages, errors, stdout, stderr] = await Promise.all(
      [messagesPath, errorsPath, stdoutPath, stderrPath].map(readOrEmpty),
    );
    const log = [
      `$ ${command.join(' ')}`,
      `exit code ${exit.code} signal ${exit.signal}${killed ? ' (killed by the harness)' : ''}`,
      stderr && `--- stderr\n${stderr}`,
      errors && `--- unexpected messages (-trace_err)\n${errors}`,
      `--- stdout (screens)\n${stdout.slice(-4000)}`,
      `--- messages (-trace_msg)\n${messages}`,
    ]
      .filter(Boolean)
      .join('\n');
    return { exitCode: exit.code, signal: exit.signal, killed, log, messages, stdout, stderr, errors };
  });

  // Ready when the local socket exists (UAS) - or when sipp already ended.
  const readyDeadline = Date.now() + 3000;
  while (!proc.hasExited() && Date.now() < readyDeadline) {
    if (await isSocketBound({ protocol: transport, host, port })) break;
    await sleep(10);
  }

  return {
    host,
    port,
    dir,
    messagesPath,
    command,
    done,
    async stop(): Promise<SippResult> {
      if (!proc.hasExited()) killed = true;
      await proc.stop({ killAfterMs: 2000 });
      return done;
    },
  };
}
