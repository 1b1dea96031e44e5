import { readdirSync, readFileSync } from 'node:fs';

export interface ProcEntry {
  readonly pid: number;
  readonly ppid: number;
  /** argv joined with spaces. */
  readonly cmdline: string;
}

/**
 * Snapshot of the processes on this machine, read synchronously from /proc
 * (Linux only), so it can also run in a process 'exit' handler. Used to
 * find a daemon's children and to check that tests leave no processes
 * behind.
 */
export function readProcTable(): ProcEntry[] {
  const entries: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid ..." - comm may contain spaces and parentheses.
      const afterComm = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      entries.push({ pid: Number(name), ppid: Number(afterComm[1]), cmdline });
    } catch {
      // the process exited while we were reading
    }
  }
  return entries;
}

/** Pids of all descendants of `pid` (children, grandchildren, ...). */
export function descendantPids(pid: number, table: readonly ProcEntry[] = readProcTable()): number[] {
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const children = table.filter((entry) => frontier.includes(entry.ppid)).map((entry) => entry.pid);
    found.push(...children);
    frontier = children;
  }
  return found;
}

/** Pids of processes whose command line contains `needle`. */
export function pidsWithCmdline(needle: string, table: readonly ProcEntry[] = readProcTable()): number[] {
  return table.filter((entry) => entry.pid !== process.pid && entry.cmdline.includes(needle)).map((entry) => entry.pid);
}

/** True while `pid` exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
