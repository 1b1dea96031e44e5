import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export interface ReceivedDatagram {
  readonly data: Uint8Array;
  readonly from: RemoteInfo;
}

/**
 * A bare UDP socket on a loopback address playing the far end of a media
 * session in tests: sends crafted datagrams, queues what it receives.
 */
export class UdpPeer {
  private readonly queue: ReceivedDatagram[] = [];
  private readonly waiters: ((datagram: ReceivedDatagram) => void)[] = [];

  private constructor(
    readonly socket: Socket,
    readonly address: string,
    readonly port: number,
  ) {
    socket.on('message', (data, from) => {
      const datagram = { data: Uint8Array.from(data), from };
      const waiter = this.waiters.shift();
      if (waiter) waiter(datagram);
      else this.queue.push(datagram);
    });
  }

  static async open(address = '127.0.0.1', port = 0): Promise<UdpPeer> {
    const socket = address.includes(':') ? createSocket({ type: 'udp6', ipv6Only: true }) : createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address, port }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new UdpPeer(socket, address, socket.address().port);
  }

  send(bytes: Uint8Array, port: number, address = this.address): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(bytes, port, address, (error) => (error ? reject(error) : resolve())));
  }

  /** The next datagram received, waiting up to `timeoutMs`. */
  next(timeoutMs = 2000): Promise<ReceivedDatagram> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`no datagram on ${this.address}:${this.port} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (datagram: ReceivedDatagram): void => {
        clearTimeout(timer);
        resolve(datagram);
      };
      this.waiters.push(waiter);
    });
  }

  /** Datagrams received and not yet taken. */
  get pending(): number {
    return this.queue.length;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** Resolves with `promise`, or rejects after `timeoutMs` naming `what`. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Lets pending socket I/O run: resolves after `ms` of real time. */
export function settle(ms = 50): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
