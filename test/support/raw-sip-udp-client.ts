import { createSocket, type Socket } from 'node:dgram';

export interface RawSipUdpClientOptions {
  /** Local loopback address. Default 127.0.0.1. */
  readonly host?: string;
  /** Local port. Default: ephemeral. */
  readonly port?: number;
}

/**
 * A bare UDP socket that sends hand-written SIP text and queues what comes
 * back, for harness self-tests and for edge cases the SIP stack under test
 * must not be used for (it is what is being tested). No parsing, no
 * retransmission: the test says exactly what goes on the wire.
 */
export class RawSipUdpClient {
  private readonly queue: string[] = [];
  private readonly waiters: Array<(message: string) => void> = [];

  private constructor(
    private readonly socket: Socket,
    readonly host: string,
    readonly port: number,
  ) {
    socket.on('message', (data) => {
      const text = data.toString('utf8');
      const waiter = this.waiters.shift();
      if (waiter) waiter(text);
      else this.queue.push(text);
    });
  }

  static async open(options: RawSipUdpClientOptions = {}): Promise<RawSipUdpClient> {
    const host = options.host ?? '127.0.0.1';
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: host, port: options.port ?? 0 }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new RawSipUdpClient(socket, host, socket.address().port);
  }

  /** Sends `text` as is (use \r\n line ends) to host:port. */
  send(text: string, remote: { host?: string; port: number }): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.send(text, remote.port, remote.host ?? '127.0.0.1', (error) => (error ? reject(error) : resolve()));
    });
  }

  /** The next datagram received (queued ones first); rejects after timeoutMs. */
  nextMessage(timeoutMs = 2000): Promise<string> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const waiter = (message: string): void => {
        clearTimeout(timer);
        resolve(message);
      };
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`no SIP message on ${this.host}:${this.port} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
