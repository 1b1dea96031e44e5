/**
 * One TCP or TLS connection (RFC 3261 §18.3 framing, RFC 5626 keep-alives):
 * feeds received bytes to a stream framer, answers CRLFCRLF pings with a CRLF
 * pong, waits for the pong after its own pings, and closes itself when idle.
 */
import type { Socket } from 'node:net';
import type { Clock, TimerHandle } from '../../core/clock.ts';
import type { Logger } from '../../log/logger.ts';
import type { FramedItem, StreamFramer } from '../message/stream-framer.ts';
import { normalizeAddress } from './address-utils.ts';
import type { ConnectionCloseReason, RemoteEndpoint } from './transport-events.ts';
import type { Source } from './types.ts';

/** The part of the message layer's `StreamFramer` a connection uses (one framer per connection). */
export type Framer = Pick<StreamFramer, 'push'>;

/** What a connection tells its owner. */
export interface StreamConnectionListener {
  message(connection: StreamConnection, bytes: Buffer): void;
  closed(connection: StreamConnection, reason: ConnectionCloseReason): void;
  keepAliveTimeout(connection: StreamConnection): void;
}

export interface StreamConnectionOptions {
  readonly id: string;
  readonly protocol: 'tcp' | 'tls';
  readonly socket: Socket;
  readonly direction: 'inbound' | 'outbound';
  readonly framer: Framer;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly idleTimeoutMs: number;
  /** RFC 5626 §4.4.1: how long to wait for the CRLF pong. */
  readonly pongTimeoutMs: number;
  readonly listener: StreamConnectionListener;
}

/** RFC 5626 §3.5.1: the ping is a double CRLF, the pong a single CRLF. */
const PING = Buffer.from('\r\n\r\n');
const PONG = Buffer.from('\r\n');

export class StreamConnection {
  readonly id: string;
  readonly protocol: 'tcp' | 'tls';
  readonly direction: 'inbound' | 'outbound';
  readonly remote: RemoteEndpoint;
  readonly localAddress: string;
  readonly localPort: number;
  private lastActivityAtMs: number;
  private idleTimer: TimerHandle | undefined;
  private pongTimer: TimerHandle | undefined;
  private closedReason: ConnectionCloseReason | undefined;

  constructor(private readonly options: StreamConnectionOptions) {
    const { socket } = options;
    this.id = options.id;
    this.protocol = options.protocol;
    this.direction = options.direction;
    this.remote = { address: normalizeAddress(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 };
    this.localAddress = normalizeAddress(socket.localAddress ?? '');
    this.localPort = socket.localPort ?? 0;
    this.lastActivityAtMs = options.clock.nowMs();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => {
      options.logger.warn('connection error', { connectionId: this.id, remote: this.remote.address, error });
      this.close('error');
    });
    socket.on('close', () => this.close('remote-closed'));
    this.armIdleTimer(options.idleTimeoutMs);
  }

  /** Clock time of the last byte in or out. */
  get lastActivityMs(): number {
    return this.lastActivityAtMs;
  }

  get isOpen(): boolean {
    return this.closedReason === undefined;
  }

  get awaitingPong(): boolean {
    return this.pongTimer !== undefined;
  }

  /** The Source of a message that arrived on this connection. */
  source(): Source {
    return {
      protocol: this.protocol,
      address: this.remote.address,
      port: this.remote.port,
      connectionId: this.id,
      localAddress: this.localAddress,
      localPort: this.localPort,
    };
  }

  write(bytes: Buffer): Promise<void> {
    if (!this.isOpen) return Promise.reject(new Error(`connection ${this.id} is closed`));
    this.touch();
    return new Promise((resolve, reject) => {
      this.options.socket.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** RFC 5626 §4.4.1: sends CRLFCRLF and expects a CRLF within `pongTimeoutMs`, else closes. */
  ping(): void {
    if (!this.isOpen) return;
    this.write(PING).catch((error: unknown) => this.options.logger.warn('keep-alive ping failed', { connectionId: this.id, error }));
    if (this.pongTimer !== undefined) return;
    this.pongTimer = this.options.clock.setTimeout(() => {
      this.pongTimer = undefined;
      this.options.logger.warn('no keep-alive pong; closing connection', {
        connectionId: this.id,
        remote: this.remote.address,
        port: this.remote.port,
        timeoutMs: this.options.pongTimeoutMs,
      });
      this.options.listener.keepAliveTimeout(this);
      this.close('keepalive-timeout');
    }, this.options.pongTimeoutMs);
  }

  close(reason: ConnectionCloseReason): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.options.clock.clearTimeout(this.idleTimer);
    this.options.clock.clearTimeout(this.pongTimer);
    this.idleTimer = undefined;
    this.pongTimer = undefined;
    this.options.socket.destroy();
    this.options.logger.debug('connection closed', { connectionId: this.id, reason });
    this.options.listener.closed(this, reason);
  }

  private receive(chunk: Buffer): void {
    this.touch();
    let items: FramedItem[];
    try {
      items = this.options.framer.push(chunk);
    } catch (error) {
      this.options.logger.warn('stream framer failed; closing connection', { connectionId: this.id, error });
      this.close('framing-error');
      return;
    }
    for (const item of items) {
      if (!this.isOpen) return;
      switch (item.kind) {
        case 'message':
          this.deliver(item.bytes);
          break;
        case 'keepalive-ping':
          // RFC 5626 §4.4.1: answer a CRLFCRLF ping with a CRLF pong.
          this.write(PONG).catch((error: unknown) => this.options.logger.debug('pong not sent', { connectionId: this.id, error }));
          break;
        case 'keepalive-pong':
          this.options.clock.clearTimeout(this.pongTimer);
          this.pongTimer = undefined;
          break;
        case 'error':
          this.options.logger.warn('stream framing error; closing connection', {
            connectionId: this.id,
            remote: this.remote.address,
            port: this.remote.port,
            reason: item.reason,
          });
          this.close('framing-error');
          return;
      }
    }
  }

  private deliver(bytes: Buffer): void {
    try {
      this.options.listener.message(this, bytes);
    } catch (error) {
      this.options.logger.error('stream message handler threw', { connectionId: this.id, error });
    }
  }

  private touch(): void {
    this.lastActivityAtMs = this.options.clock.nowMs();
  }

  /** One timer per connection, re-armed for the remaining time instead of on every byte. */
  private armIdleTimer(delayMs: number): void {
    if (this.options.idleTimeoutMs <= 0) return;
    this.idleTimer = this.options.clock.setTimeout(() => {
      const idleMs = this.options.clock.nowMs() - this.lastActivityAtMs;
      if (idleMs >= this.options.idleTimeoutMs) {
        this.options.logger.info('closing idle connection', { connectionId: this.id, idleMs });
        this.close('idle-timeout');
      } else {
        this.armIdleTimer(this.options.idleTimeoutMs - idleMs);
      }
    }, delayMs);
  }
}
