import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, openSync } from 'node:fs';
import { descendantPids, isRunning } from './proc-table.ts';

export interface ProcessExit {
  /** Exit code, or null when the process was ended by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnManagedOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** File that receives stdout (appended to). */
  readonly stdoutPath: string;
  /** File that receives stderr (appended to). Default: stdoutPath. */
  readonly stderrPath?: string;
}

export interface StopOptions {
  /** Signal sent first. Default SIGTERM. */
  readonly signal?: NodeJS.Signals;
  /** After this long, the process and its descendants get SIGKILL. Default 3000. */
  readonly killAfterMs?: number;
}

export interface ManagedProcess {
  readonly pid: number;
  readonly exited: Promise<ProcessExit>;
  hasExited(): boolean;
  /** Signals the process, waits for it to exit, SIGKILLs it (and its descendants) after a timeout. */
  stop(options?: StopOptions): Promise<ProcessExit>;
}

const SETPRIV = '/usr/bin/setpriv';
const live = new Set<number>();
let exitHookInstalled = false;

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function killTree(pid: number, signal: NodeJS.Signals): void {
  // Collect the descendants first: once the parent dies they are reparented
  // and no longer traceable to it.
  const descendants = descendantPids(pid);
  killQuietly(pid, signal);
  for (const child of descendants) killQuietly(child, signal);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort for a test process that ends without stopping its peers.
  process.on('exit', () => {
    for (const pid of live) killTree(pid, 'SIGKILL');
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function hasSetpriv(): boolean {
  try {
    accessSync(SETPRIV, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a long-running third-party program (kamailio, sipp) for a test with
 * its output going to files, and makes sure it cannot outlive the test
 * process: it is started through util-linux `setpriv --pdeathsig SIGTERM`
 * (the kernel signals it when this process dies, even by SIGKILL), and a
 * process 'exit' hook SIGKILLs whatever is still running.
 */
export function spawnManaged(options: SpawnManagedOptions): ManagedProcess {
  installExitHook();
  const stdoutFd = openSync(options.stdoutPath, 'a');
  const stderrFd = options.stderrPath ? openSync(options.stderrPath, 'a') : stdoutFd;
  const [command, args] = hasSetpriv()
    ? [SETPRIV, ['--pdeathsig', 'SIGTERM', '--', options.command, ...options.args]]
    : [options.command, [...options.args]];
  const child = spawn(command, args, {
    cwd: options.cwd,
    stdio: ['ignore', stdoutFd, stderrFd],
  });
  closeSync(stdoutFd);
  if (stderrFd !== stdoutFd) closeSync(stderrFd);

  let exitedFlag = false;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('error', (error) => {
      exitedFlag = true;
      if (child.pid !== undefined) live.delete(child.pid);
      process.stderr.write(`spawn ${options.command} failed: ${error.message}\n`);
      resolve({ code: -1, signal: null });
    });
    child.once('exit', (code, signal) => {
      exitedFlag = true;
      if (child.pid !== undefined) live.delete(child.pid);
      resolve({ code, signal });
    });
  });
  const pid = child.pid ?? -1;
  if (pid > 0) live.add(pid);

  return {
    pid,
    exited,
    hasExited: () => exitedFlag,
    async stop(stopOptions: StopOptions = {}): Promise<ProcessExit> {
      if (exitedFlag || pid <= 0) return exited;
      const deadline = Date.now() + (stopOptions.killAfterMs ?? 3000);
      // Daemons like kamailio fork workers that the main process ends on
      // SIGTERM: remember them to wait for them too.
      const tree = descendantPids(pid);
      killQuietly(pid, stopOptions.signal ?? 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
      });
      const first = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (first === 'timeout') killTree(pid, 'SIGKILL');
      const result = await exited;
      while (tree.some(isRunning) && Date.now() < deadline) await sleep(20);
      for (const child of tree) if (isRunning(child)) killQuietly(child, 'SIGKILL');
      return result;
    },
  };
}
