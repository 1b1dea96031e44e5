/**
 * RFC 3261 §18 over TCP: plain `node:net` sockets; pooling, framing and
 * keep-alives come from `StreamTransport`.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { StreamTransport } from './stream-transport.ts';
import type { Destination } from './types.ts';

export class TcpTransport extends StreamTransport {
  readonly protocol = 'tcp' as const;

  protected openSocket(destination: Destination): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: destination.address, port: destination.port });
      const clock = this.options.clock;
      const timer = clock.setTimeout(() => {
        socket.destroy();
        reject(new Error(`TCP connect to ${destination.address}:${destination.port} timed out after ${this.options.connectTimeoutMs} ms`));
      }, this.options.connectTimeoutMs);
      socket.once('connect', () => {
        clock.clearTimeout(timer);
        resolve(socket);
      });
      socket.once('error', (error) => {
        clock.clearTimeout(timer);
        socket.destroy();
        reject(error);
      });
    });
  }

  protected createServer(onSocket: (socket: Socket) => void): Server {
    return createServer((socket) => onSocket(socket));
  }
}
