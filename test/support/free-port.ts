import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

export type PortProtocol = 'udp' | 'tcp';

export interface FindFreePortOptions {
  /** Protocols the port must be free for, on every host. Default: udp and tcp. */
  readonly protocols?: readonly PortProtocol[];
  /** Loopback addresses it must be free on. Default: 127.0.0.1. */
  readonly hosts?: readonly string[];
  /** Ports already chosen that must not be returned. */
  readonly exclude?: Iterable<number>;
}

// Below Linux's ephemeral range (32768-60999 by default) so that a port we
// hand out is not taken meanwhile as the source port of some outgoing
// connection, and far from 5060/5061 (the phone's defaults).
const RANGE_START = 20000;
const RANGE_END = 32000;
const MAX_ATTEMPTS = 200;

// Ports handed out by this process: never hand the same one out twice, even
// if the first user has not bound it yet.
const handedOut = new Set<number>();

function canBindUdp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.close(() => resolve(true));
    });
  });
}

function canBindTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * A port in 20000-32000 that can currently be bound on every given loopback
 * host for every given protocol (so one number can serve SIP over UDP and
 * TCP). There is an unavoidable window between this check and the real
 * bind; the range choice and the per-process memory keep it harmless.
 */
export async function findFreePort(options: FindFreePortOptions = {}): Promise<number> {
  const protocols = options.protocols ?? ['udp', 'tcp'];
  const hosts = options.hosts ?? ['127.0.0.1'];
  const exclude = new Set(options.exclude ?? []);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const port = RANGE_START + Math.floor(Math.random() * (RANGE_END - RANGE_START));
    if (handedOut.has(port) || exclude.has(port)) continue;
    let free = true;
    for (const host of hosts) {
      for (const protocol of protocols) {
        const ok = protocol === 'udp' ? await canBindUdp(host, port) : await canBindTcp(host, port);
        if (!ok) free = false;
        if (!free) break;
      }
      if (!free) break;
    }
    if (free) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port found in ${RANGE_START}-${RANGE_END} after ${MAX_ATTEMPTS} attempts`);
}
