/**
 * RFC 3261 §18 over UDP: one datagram socket per listening address (IPv4 and
 * IPv6), datagram in → bytes + Source out, bytes out to an address/port.
 * Parsing and policy (size switch to TCP, responses) live in the transport
 * layer; this file only owns the sockets.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Logger } from '../../log/logger.ts';
import { familyOf, isLoopback, isWildcard, normalizeAddress } from './address-utils.ts';
import type { Source } from './types.ts';

export interface ListenAddress {
  /** `0.0.0.0`, `::`, or an interface address. */
  readonly address: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
}

export interface UdpTransportOptions {
  readonly listen: readonly ListenAddress[];
  /** Larger datagrams are dropped with a log line. */
  readonly maxDatagramBytes: number;
  readonly logger: Logger;
  readonly onDatagram: (datagram: Buffer, source: Source) => void;
  /** A datagram dropped for its size. */
  readonly onDropped: (source: Source, reason: string) => void;
}

interface BoundSocket {
  readonly socket: Socket;
  readonly address: string;
  readonly port: number;
  readonly family: 4 | 6;
}

export class UdpTransport {
  private bound: BoundSocket[] = [];

  constructor(private readonly options: UdpTransportOptions) {}

  async start(): Promise<void> {
    for (const spec of this.options.listen) this.bound.push(await this.bind(spec));
  }

  /** The sockets actually bound (ports resolved when 0 was asked). */
  get addresses(): readonly { address: string; port: number; family: 4 | 6 }[] {
    return this.bound.map(({ address, port, family }) => ({ address, port, family }));
  }

  /** Sends one datagram; rejects with the socket error (EMSGSIZE, no socket for the family...). */
  send(bytes: Buffer, address: string, port: number): Promise<void> {
    const bound = this.socketFor(address);
    if (!bound) return Promise.reject(new Error(`no UDP socket for IPv${familyOf(address)} is listening`));
    return new Promise((resolve, reject) => {
      bound.socket.send(bytes, port, address, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** The socket a datagram to `address` leaves from: same family, loopback-bound sockets only for loopback peers. */
  socketFor(address: string): BoundSocket | undefined {
    const family = familyOf(address);
    const candidates = this.bound.filter((b) => b.family === family);
    const loopbackPeer = isLoopback(address);
    return (
      candidates.find((b) => !isWildcard(b.address) && isLoopback(b.address) === loopbackPeer) ??
      candidates.find((b) => isWildcard(b.address)) ??
      candidates[0]
    );
  }

  async close(): Promise<void> {
    const sockets = this.bound;
    this.bound = [];
    await Promise.all(
      sockets.map(
        ({ socket }) =>
          new Promise<void>((resolve) => {
            try {
              socket.close(() => resolve());
            } catch {
              resolve();
            }
          }),
      ),
    );
  }

  private bind(spec: ListenAddress): Promise<BoundSocket> {
    const family = familyOf(spec.address);
    // ipv6Only so `::` and `0.0.0.0` can share a port number.
    const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4', ipv6Only: family === 6, reuseAddr: false });
    return new Promise((resolve, reject) => {
      const onBindError = (error: Error): void => reject(error);
      socket.once('error', onBindError);
      socket.bind(spec.port, spec.address, () => {
        socket.off('error', onBindError);
        const info = socket.address();
        const bound: BoundSocket = { socket, address: info.address, port: info.port, family };
        // Socket errors (ICMP-induced ECONNREFUSED on some systems, ENOBUFS) never crash the process.
        socket.on('error', (error) => this.options.logger.warn('UDP socket error', { local: info.address, port: info.port, error }));
        socket.on('message', (datagram, remote) => this.receive(bound, datagram, remote));
        this.options.logger.info('UDP listening', { address: info.address, port: info.port });
        resolve(bound);
      });
    });
  }

  private receive(bound: BoundSocket, datagram: Buffer, remote: RemoteInfo): void {
    const source: Source = {
      protocol: 'udp',
      address: normalizeAddress(remote.address),
      port: remote.port,
      localAddress: bound.address,
      localPort: bound.port,
    };
    if (datagram.length > this.options.maxDatagramBytes) {
      this.options.logger.warn('UDP datagram over the size limit dropped', {
        from: source.address,
        port: source.port,
        bytes: datagram.length,
        maxBytes: this.options.maxDatagramBytes,
      });
      this.options.onDropped(source, `datagram of ${datagram.length} bytes exceeds ${this.options.maxDatagramBytes}`);
      return;
    }
    try {
      this.options.onDatagram(datagram, source);
    } catch (error) {
      this.options.logger.error('UDP datagram handler threw', { from: source.address, port: source.port, error });
    }
  }
}
