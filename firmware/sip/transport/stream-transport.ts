/**
 * What TCP and TLS share (RFC 3261 §18): listening servers, a pool of
 * connections with reuse per destination (§18.1.1: "a connection to the same
 * destination is reused"), responses back on the connection a request came
 * in on (§18.2.2, via `Destination.connectionId`), an idle timeout and a
 * connection limit.
 */
import type { Server, Socket } from 'node:net';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../log/logger.ts';
import { familyOf, normalizeAddress } from './address-utils.ts';
import { StreamConnection, type Framer, type StreamConnectionListener } from './stream-connection.ts';
import type { ConnectionCloseReason } from './transport-events.ts';
import type { ListenAddress } from './udp-transport.ts';
import type { Destination, Source } from './types.ts';

export interface StreamTransportOptions {
  readonly listen: readonly ListenAddress[];
  readonly clock: Clock;
  readonly logger: Logger;
  readonly idleTimeoutMs: number;
  readonly maxConnections: number;
  readonly connectTimeoutMs: number;
  readonly pongTimeoutMs: number;
  /** A fresh framer (with its buffer limits) per connection. */
  readonly createFramer: () => Framer;
  readonly onMessage: (bytes: Buffer, source: Source) => void;
  readonly onConnectionOpened: (connection: StreamConnection) => void;
  readonly onConnectionClosed: (connection: StreamConnection, reason: ConnectionCloseReason) => void;
  readonly onKeepAliveTimeout: (connection: StreamConnection) => void;
}

export interface StreamSendResult {
  readonly connectionId: string;
}

export abstract class StreamTransport {
  abstract readonly protocol: 'tcp' | 'tls';
  private readonly connections = new Map<string, StreamConnection>();
  /** reuse key → connection id (outbound, and inbound by their remote address/port). */
  private readonly byKey = new Map<string, string>();
  private readonly pending = new Map<string, Promise<StreamConnection>>();
  private servers: { server: Server; address: string; port: number; family: 4 | 6 }[] = [];
  private nextId = 1;
  private closing = false;

  constructor(protected readonly options: StreamTransportOptions) {}

  /** Opens a connected (for TLS: handshaken and verified) socket, or rejects. */
  protected abstract openSocket(destination: Destination): Promise<Socket>;
  /** A server whose `onSocket` is called with each accepted (for TLS: handshaken) socket. */
  protected abstract createServer(onSocket: (socket: Socket) => void): Server;
  /** Connections to the same address/port may still differ (TLS: the verified server name). */
  protected reuseKey(address: string, port: number, _serverName: string | undefined): string {
    return `${address}|${port}`;
  }

  async start(): Promise<void> {
    for (const spec of this.options.listen) {
      const server = this.createServer((socket) => this.accept(socket));
      server.on('error', (error) => this.options.logger.warn('server error', { protocol: this.protocol, error }));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: spec.port, host: spec.address, ipv6Only: familyOf(spec.address) === 6 }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const info = server.address();
      if (info === null || typeof info === 'string') throw new Error('stream server has no address');
      this.servers.push({ server, address: info.address, port: info.port, family: familyOf(spec.address) });
      this.options.logger.info('listening', { protocol: this.protocol, address: info.address, port: info.port });
    }
  }

  get addresses(): readonly { address: string; port: number; family: 4 | 6 }[] {
    return this.servers.map(({ address, port, family }) => ({ address, port, family }));
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  connection(id: string): StreamConnection | undefined {
    return this.connections.get(id);
  }

  /** The open connection a message to `destination` would use, if any. */
  connectionFor(destination: Destination): StreamConnection | undefined {
    if (destination.connectionId !== undefined) {
      const byId = this.connections.get(destination.connectionId);
      if (byId?.isOpen) return byId;
    }
    const id = this.byKey.get(this.reuseKey(destination.address, destination.port, destination.serverName));
    const connection = id === undefined ? undefined : this.connections.get(id);
    return connection?.isOpen ? connection : undefined;
  }

  /**
   * RFC 3261 §18.1.1 / §18.2.2: sends on the connection named by
   * `destination.connectionId` or an open one to the same address/port,
   * else opens one (concurrent sends share the attempt).
   */
  async send(bytes: Buffer, destination: Destination): Promise<StreamSendResult> {
    const connection = this.connectionFor(destination) ?? (await this.connect(destination));
    await connection.write(bytes);
    return { connectionId: connection.id };
  }

  /** Opens (or joins the opening of) a connection to `destination`. */
  connect(destination: Destination): Promise<StreamConnection> {
    const key = this.reuseKey(destination.address, destination.port, destination.serverName);
    const existing = this.pending.get(key);
    if (existing) return existing;
    const attempt = this.open(destination).finally(() => this.pending.delete(key));
    this.pending.set(key, attempt);
    return attempt;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const connection of [...this.connections.values()]) connection.close('shutdown');
    const servers = this.servers;
    this.servers = [];
    await Promise.all(servers.map(({ server }) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  private async open(destination: Destination): Promise<StreamConnection> {
    if (this.closing) throw new Error('transport is shut down');
    this.makeRoom();
    const socket = await this.openSocket(destination);
    if (this.closing) {
      socket.destroy();
      throw new Error('transport is shut down');
    }
    return this.adopt(socket, 'outbound', this.reuseKey(destination.address, destination.port, destination.serverName));
  }

  private accept(socket: Socket): void {
    if (this.closing || this.connections.size >= this.options.maxConnections) {
      // Inbound connections never evict ours (a flood must not cut the registrar connection).
      this.options.logger.warn('connection limit reached; refusing inbound connection', {
        protocol: this.protocol,
        remote: socket.remoteAddress,
        maxConnections: this.options.maxConnections,
      });
      socket.on('error', () => undefined);
      socket.destroy();
      return;
    }
    const remote = normalizeAddress(socket.remoteAddress ?? '');
    this.adopt(socket, 'inbound', this.reuseKey(remote, socket.remotePort ?? 0, undefined));
  }

  private adopt(socket: Socket, direction: 'inbound' | 'outbound', key: string): StreamConnection {
    const listener: StreamConnectionListener = {
      message: (connection, bytes) => this.options.onMessage(bytes, connection.source()),
      closed: (connection, reason) => this.forget(connection, key, reason),
      keepAliveTimeout: (connection) => this.options.onKeepAliveTimeout(connection),
    };
    const connection = new StreamConnection({
      id: `${this.protocol}-${this.nextId++}`,
      protocol: this.protocol,
      socket,
      direction,
      framer: this.options.createFramer(),
      clock: this.options.clock,
      logger: this.options.logger,
      idleTimeoutMs: this.options.idleTimeoutMs,
      pongTimeoutMs: this.options.pongTimeoutMs,
      listener,
    });
    this.connections.set(connection.id, connection);
    this.byKey.set(key, connection.id);
    this.options.logger.debug('connection opened', {
      connectionId: connection.id,
      direction,
      remote: connection.remote.address,
      port: connection.remote.port,
    });
    this.options.onConnectionOpened(connection);
    return connection;
  }

  private forget(connection: StreamConnection, key: string, reason: ConnectionCloseReason): void {
    this.connections.delete(connection.id);
    if (this.byKey.get(key) === connection.id) this.byKey.delete(key);
    this.options.onConnectionClosed(connection, reason);
  }

  /** At the limit, an outbound connection evicts the least recently used one. */
  private makeRoom(): void {
    while (this.connections.size >= this.options.maxConnections) {
      let victim: StreamConnection | undefined;
      for (const connection of this.connections.values()) {
        if (!victim || connection.lastActivityMs < victim.lastActivityMs) victim = connection;
      }
      if (!victim) return;
      this.options.logger.info('connection limit reached; closing the least recently used connection', {
        connectionId: victim.id,
        maxConnections: this.options.maxConnections,
      });
      victim.close('evicted');
    }
  }
}
