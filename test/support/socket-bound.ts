import { readFile } from 'node:fs/promises';

export interface SocketBoundOptions {
  readonly protocol: 'udp' | 'tcp';
  /** IPv4 loopback address, e.g. 127.0.0.1. */
  readonly host: string;
  readonly port: number;
}

function hexIpv4(host: string): string {
  // /proc/net shows the address as a little-endian 32-bit hex number.
  return host
    .split('.')
    .map((part) => Number(part).toString(16).padStart(2, '0').toUpperCase())
    .reverse()
    .join('');
}

/**
 * Whether some process has bound host:port (UDP) or listens on it (TCP),
 * read from /proc/net/{udp,tcp}. Unlike a trial bind, it cannot steal the
 * port from the program being waited for.
 */
export async function isSocketBound(options: SocketBoundOptions): Promise<boolean> {
  const table = await readFile(`/proc/net/${options.protocol}`, 'utf8');
  const port = options.port.toString(16).padStart(4, '0').toUpperCase();
  const wanted = new Set([`${hexIpv4(options.host)}:${port}`, `00000000:${port}`]);
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    const state = fields[3];
    if (local === undefined || !wanted.has(local)) continue;
    // TCP: 0A = LISTEN. UDP sockets have no listen state.
    if (options.protocol === 'udp' || state === '0A') return true;
  }
  return false;
}
