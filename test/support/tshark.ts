/**
 * tshark (Debian package tshark) as an independent decoder of the RTP and
 * RTCP we put on the wire: live capture on the loopback interface when
 * allowed, and field extraction from a pcap file.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Absolute path of tshark, or null when it is not installed. */
export function findTshark(): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean).concat(['/usr/bin', '/usr/sbin']);
  for (const dir of dirs) {
    const candidate = join(dir, 'tshark');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export interface DecodeFieldsOptions {
  readonly tshark: string;
  readonly pcapPath: string;
  /** `-d` rules, e.g. `udp.port==20000,rtp`. */
  readonly decodeAs: readonly string[];
  /** Display filter, e.g. `rtp` or `rtcp`. */
  readonly filter: string;
  readonly fields: readonly string[];
}

/** One row per packet matching the filter, one string per field (tshark joins repeated fields with commas). */
export async function decodeFields(options: DecodeFieldsOptions): Promise<string[][]> {
  const args = ['-r', options.pcapPath, '-Y', options.filter, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const rule of options.decodeAs) args.push('-d', rule);
  for (const field of options.fields) args.push('-e', field);
  const { stdout } = await execFileAsync(options.tshark, args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t'));
}

export interface LiveCapture {
  /** Ends the capture (SIGINT) and waits until the file is complete. */
  stop(): Promise<void>;
}

/**
 * Captures UDP on the loopback interface for the given ports into `pcapPath`.
 * Resolves once tshark reports the capture running; rejects when it cannot
 * capture (no privileges, no `lo`), so the caller can fall back to a written pcap.
 */
export function startLoopbackCapture(options: { readonly tshark: string; readonly ports: readonly number[]; readonly pcapPath: string; readonly maxDurationSeconds: number }): Promise<LiveCapture> {
  const filter = options.ports.map((port) => `udp port ${port}`).join(' or ');
  const child: ChildProcess = spawn(
    options.tshark,
    ['-i', 'lo', '-f', filter, '-w', options.pcapPath, '-a', `duration:${options.maxDurationSeconds}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tshark did not start capturing within 10 s: ${stderr}`));
    }, 10_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/Capture started|Capturing on/.test(stderr)) {
        clearTimeout(timer);
        resolve({
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tshark exited (${code}) before capturing: ${stderr.trim()}`));
    });
  });
}
