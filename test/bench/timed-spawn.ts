/**
 * Spawns a process and measures wall time from spawn until it writes a
 * given JSON log line on stderr (or until it exits), then ends it. Every
 * child still running when this process exits gets SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const running of live) running.kill('SIGKILL');
    });
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM, then SIGKILL after `killAfterMs`; resolves once it is gone. */
async function end(child: ChildProcess, killAfterMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  await exited(child);
  clearTimeout(timer);
}

export interface TimeToLogLineOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** True for the stderr JSON record that ends the measurement. */
  readonly isTarget: (record: Record<string, unknown>) => boolean;
  /** True for a record that means it will never come (e.g. `line line1 failed`). */
  readonly isFailure?: (record: Record<string, unknown>) => boolean;
  readonly timeoutMs: number;
}

/** Milliseconds from spawn to the target stderr line; the process is stopped (SIGTERM) afterwards. */
export async function timeToLogLine(options: TimeToLogLineOptions): Promise<number> {
  const startedMs = performance.now();
  const child = spawn(options.command, [...options.args], { cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  track(child);
  const tail: string[] = [];
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no such log line within ${options.timeoutMs} ms`)), options.timeoutMs);
      const stderr = child.stderr;
      if (!stderr) throw new Error('no stderr pipe');
      const lines = createInterface({ input: stderr });
      lines.on('line', (line) => {
        const atMs = performance.now();
        tail.push(line);
        if (tail.length > 20) tail.shift();
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch {
          return;
        }
        if (typeof record !== 'object' || record === null) return;
        const fields = record as Record<string, unknown>;
        if (options.isTarget(fields)) {
          clearTimeout(timer);
          resolve(atMs - startedMs);
        } else if (options.isFailure?.(fields)) {
          clearTimeout(timer);
          reject(new Error('failure logged'));
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`exited (code ${code}, signal ${signal}) before the log line`));
      });
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${options.command} ${options.args.join(' ')}: ${reason}; stderr tail:\n${tail.join('\n')}`);
  } finally {
    await end(child, 3000);
  }
}

/** Milliseconds from spawn to exit (for a reference such as `node -e ''`); rejects on a non-zero exit. */
export async function timeToExit(command: string, args: readonly string[], cwd: string): Promise<number> {
  const startedMs = performance.now();
  const child = spawn(command, [...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  track(child);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  const elapsedMs = performance.now() - startedMs;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}`);
  return elapsedMs;
}
