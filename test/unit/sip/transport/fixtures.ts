/**
 * Shared helpers for the transport tests: SIP text builders, layers bound to
 * loopback on free ports, raw UDP/TCP peers, and waiting with a deadline.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { parseMessage } from '../../../../firmware/sip/message/parser.ts';
import type { SipMessage } from '../../../../firmware/sip/message/types.ts';
import { TransportLayer, type TransportLayerOptions } from '../../../../firmware/sip/transport/transport-layer.ts';
import type { IncomingMessage } from '../../../../firmware/sip/transport/types.ts';

export interface RequestTextOptions {
  readonly method?: string;
  readonly via?: string;
  readonly callId?: string;
  readonly cseq?: string;
  readonly body?: string;
  readonly extraHeaders?: readonly string[];
}

let counter = 0;

/** A well-formed request as wire text (CRLF line ends, correct Content-Length). */
export function requestText(options: RequestTextOptions = {}): string {
  const method = options.method ?? 'OPTIONS';
  const body = options.body ?? '';
  counter++;
  return [
    `${method} sip:bob@127.0.0.1 SIP/2.0`,
    `Via: ${options.via ?? `SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-test-${counter}`}`,
    'Max-Forwards: 70',
    'From: <sip:alice@127.0.0.1>;tag=a1',
    'To: <sip:bob@127.0.0.1>',
    `Call-ID: ${options.callId ?? `call-${counter}@test`}`,
    `CSeq: ${options.cseq ?? `1 ${method}`}`,
    ...(options.extraHeaders ?? []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

export function parse(text: string | Buffer): SipMessage {
  const result = parseMessage(Buffer.isBuffer(text) ? text : Buffer.from(text));
  if (!result.ok) throw new Error(`test message does not parse: ${result.error.reason}`);
  return result.message;
}

/** A layer bound to 127.0.0.1 on free UDP and TCP ports (port 0). */
export async function startLayer(options: TransportLayerOptions = {}): Promise<TransportLayer> {
  const layer = new TransportLayer({
    udp: [{ address: '127.0.0.1', port: 0 }],
    tcp: [{ address: '127.0.0.1', port: 0 }],
    ...options,
  });
  await layer.start();
  return layer;
}

export function portOf(layer: TransportLayer, protocol: 'udp' | 'tcp' | 'tls', family: 4 | 6 = 4): number {
  const found = layer.listeningAddresses(protocol).find((a) => a.host.includes(':') === (family === 6));
  if (!found) throw new Error(`layer has no ${protocol} IPv${family} listener`);
  return found.port;
}

/** Resolves with the next `count` messages delivered by `layer`, or rejects after `timeoutMs`. */
export function nextMessages(layer: TransportLayer, count: number, timeoutMs = 3_000): Promise<IncomingMessage[]> {
  return new Promise((resolve, reject) => {
    const got: IncomingMessage[] = [];
    const timer = setTimeout(() => {
      off();
      reject(new Error(`expected ${count} message(s), got ${got.length} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = layer.onMessage((incoming) => {
      got.push(incoming);
      if (got.length === count) {
        clearTimeout(timer);
        off();
        resolve(got);
      }
    });
  });
}

export async function nextMessage(layer: TransportLayer, timeoutMs = 3_000): Promise<IncomingMessage> {
  const [first] = await nextMessages(layer, 1, timeoutMs);
  return first as IncomingMessage;
}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** A raw UDP peer on loopback that collects what it receives. */
export class RawUdpPeer {
  readonly received: Buffer[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: UdpSocket) {
    socket.on('message', (datagram) => {
      this.received.push(datagram);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async start(address = '127.0.0.1'): Promise<RawUdpPeer> {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve) => socket.bind(0, address, resolve));
    return new RawUdpPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(text: string | Buffer, port: number, address = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(text, port, address, (error) => (error ? reject(error) : resolve())));
  }

  /** Waits until `count` datagrams in total have been received. */
  async waitFor(count: number, timeoutMs = 3_000): Promise<Buffer[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} datagram(s), got ${this.received.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received.slice(0, count);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** A raw TCP client that accumulates everything it receives. */
export class RawTcpClient {
  data = Buffer.alloc(0);
  closed = false;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.data = Buffer.concat([this.data, chunk]);
      this.wake();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawTcpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => resolve(new RawTcpClient(socket)));
      socket.once('error', reject);
    });
  }

  static wrap(socket: Socket): RawTcpClient {
    return new RawTcpClient(socket);
  }

  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  /** Waits until the received text satisfies `predicate` (or the socket closes, when `orClose`). */
  async waitUntil(predicate: (text: string) => boolean, timeoutMs = 3_000, what = 'data'): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.data.toString('latin1'))) {
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.data.toString('latin1'))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.data.toString('latin1');
  }

  async waitForClose(timeoutMs = 3_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection was not closed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** A raw TCP server on loopback that hands each accepted socket to the test. */
export async function startRawTcpServer(onSocket: (client: RawTcpClient) => void): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    onSocket(RawTcpClient.wrap(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    server,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
