import type { Socket } from 'node:net';
import type { Clock } from '../../core/clock.ts';

export interface AwaitConnectOptions {
  /** `connect` for TCP, `secureConnect` for TLS (after the handshake and certificate checks). */
  readonly readyEvent: 'connect' | 'secureConnect';
  readonly clock: Clock;
  readonly timeoutMs: number;
  /** For the timeout message: `TCP connect to 192.0.2.1:5060`. */
  readonly description: string;
}

/**
 * Resolves with `socket` once it is ready, or rejects (destroying it) on its
 * first error or when `timeoutMs` passes first.
 */
export function awaitConnect<S extends Socket>(socket: S, options: AwaitConnectOptions): Promise<S> {
  return new Promise((resolve, reject) => {
    const timer = options.clock.setTimeout(() => {
      socket.destroy();
      reject(new Error(`${options.description} timed out after ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    socket.once(options.readyEvent, () => {
      options.clock.clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error) => {
      options.clock.clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}
