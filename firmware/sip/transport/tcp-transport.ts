/**
 * RFC 3261 §18 over TCP: plain `node:net` sockets; pooling, framing and
 * keep-alives come from `StreamTransport`.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { awaitConnect } from './await-connect.ts';
import { StreamTransport } from './stream-transport.ts';
import type { Destination } from './types.ts';

export class TcpTransport extends StreamTransport {
  readonly protocol = 'tcp' as const;

  protected openSocket(destination: Destination): Promise<Socket> {
    return awaitConnect(connect({ host: destination.address, port: destination.port }), {
      readyEvent: 'connect',
      clock: this.options.clock,
      timeoutMs: this.options.connectTimeoutMs,
      description: `TCP connect to ${destination.address}:${destination.port}`,
    });
  }

  protected createServer(onSocket: (socket: Socket) => void): Server {
    return createServer((socket) => onSocket(socket));
  }
}
