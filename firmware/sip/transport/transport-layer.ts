/**
 * The SIP transport layer (RFC 3261 §18): UDP, TCP and TLS behind one
 * `send` / `onMessage` seam, with
 * - parsing of everything received, a 400/505/513 answer to a malformed but
 *   answerable request (reason phrase from the parser), a log line for garbage;
 * - RFC 3261 §18.2.1 / RFC 3581 §4: `received`/`rport` stamped on the top Via
 *   of received requests;
 * - RFC 3261 §18.1.1: large requests moved from UDP to TCP (top Via rewritten);
 * - connection reuse, responses on the request's connection, idle timeout and
 *   a connection limit (`StreamTransport`);
 * - Via sent-by / Contact addresses (`localAddressFor`) and public addresses
 *   learned from responses (`learnFromResponse`);
 * - RFC 5626 keep-alives (`startKeepAlive`, CRLF pong answering).
 *
 * Typed events (`events`): see `TransportEvent`.
 */
import { systemClock, type Clock } from '../../core/clock.ts';
import { TypedEmitter, type Unsubscribe } from '../../core/typed-emitter.ts';
import { silentLogger, type Logger } from '../../log/logger.ts';
import { createResponse } from '../message/build.ts';
import { parseMessage } from '../message/parser.ts';
import { serializeMessage } from '../message/serializer.ts';
import { StreamFramer } from '../message/stream-framer.ts';
import type { SipMessage } from '../message/types.ts';
import { familyOf, isWildcard } from './address-utils.ts';
import { startKeepAliveTimer, type KeepAliveHandle, type KeepAliveOptions } from './keep-alive.ts';
import { guessRouteAddress, probeRouteAddress } from './local-address-probe.ts';
import { PublicAddressTable } from './public-address-table.ts';
import { responseDestination } from './response-destination.ts';
import type { StreamConnection } from './stream-connection.ts';
import type { StreamTransport, StreamTransportOptions } from './stream-transport.ts';
import { TcpTransport } from './tcp-transport.ts';
import { TlsTransport, type TlsSettings } from './tls-transport.ts';
import { replaceTopVia, topVia, viaHostAddress } from './top-via.ts';
import type { TransportEvent } from './transport-events.ts';
import { UdpTransport, type ListenAddress } from './udp-transport.ts';
import {
  TransportError,
  type Destination,
  type IncomingMessage,
  type LocalAddress,
  type SendResult,
  type Source,
  type TransportProtocol,
} from './types.ts';

export type { ListenAddress, TlsSettings, KeepAliveHandle, KeepAliveOptions };

export interface TransportLayerOptions {
  /** UDP listening addresses; default `0.0.0.0:5060`. Empty: no UDP. */
  readonly udp?: readonly ListenAddress[];
  /** TCP listening addresses; default `0.0.0.0:5060`. Empty: no TCP (no size switch either). */
  readonly tcp?: readonly ListenAddress[];
  /**
   * TLS: client settings (CA list, verification, client certificate) and,
   * with `serverCertificate`, listening addresses (default `0.0.0.0:5061`).
   * Absent: no TLS at all.
   */
  readonly tls?: TlsSettings & { readonly listen?: readonly ListenAddress[] };
  /** RFC 3261 §18.1.1: requests larger than this go over TCP instead of UDP. Default 1300. */
  readonly udpToTcpThresholdBytes?: number;
  /** Turn the §18.1.1 switch off (a server known to have no TCP). Default true; needs TCP enabled. */
  readonly switchLargeRequestsToTcp?: boolean;
  /** Larger UDP datagrams are dropped. Default 65 507. */
  readonly maxDatagramBytes?: number;
  /** Largest message the parser and stream framers accept. Default 65 535. */
  readonly maxMessageBytes?: number;
  /** Per-connection receive buffer limit (stream framer); over it the connection is closed. Default 2 × maxMessageBytes. */
  readonly maxConnectionBufferBytes?: number;
  /** Stream connections without traffic for this long are closed. Default 300 000 ms; 0 disables. */
  readonly idleTimeoutMs?: number;
  /** Open TCP (and, separately, TLS) connections. Default 64. */
  readonly maxConnections?: number;
  readonly connectTimeoutMs?: number;
  /** RFC 5626 §4.4.1: wait this long for a CRLF pong. Default 10 000 ms. */
  readonly keepAlivePongTimeoutMs?: number;
  readonly clock?: Clock;
  /** The logger for `sip.transport`; sockets log under its children `udp`, `tcp`, `tls` (`sip.transport.tcp`). */
  readonly logger?: Logger;
}

export type MessageHandler = (incoming: IncomingMessage) => void;

/** RFC 5626 §3.5.1: the double-CRLF keep-alive. */
const CRLFCRLF = Buffer.from('\r\n\r\n');

export class TransportLayer {
  /** Typed events: `public-address-changed`, `keepalive-timeout`, `connection-opened`/`-closed`, `message-dropped`. */
  readonly events: TypedEmitter<TransportEvent>;
  private readonly handlers = new Set<MessageHandler>();
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly udp: UdpTransport | undefined;
  private readonly tcp: TcpTransport | undefined;
  private readonly tls: TlsTransport | undefined;
  private readonly publicAddresses = new PublicAddressTable();
  /** `family|remote address` → local interface address, from probes and connections. */
  private readonly routeAddresses = new Map<string, string>();
  private readonly keepAlives = new Set<KeepAliveHandle>();
  private readonly udpToTcpThresholdBytes: number;
  private readonly switchLargeRequestsToTcp: boolean;
  private readonly maxMessageBytes: number;

  constructor(options: TransportLayerOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.events = new TypedEmitter<TransportEvent>((error, event) =>
      this.logger.error('transport event listener threw', { event: event.type, error }),
    );
    this.udpToTcpThresholdBytes = options.udpToTcpThresholdBytes ?? 1300;
    this.switchLargeRequestsToTcp = options.switchLargeRequestsToTcp ?? true;
    this.maxMessageBytes = options.maxMessageBytes ?? 65_535;

    const udpListen = options.udp ?? [{ address: '0.0.0.0', port: 5060 }];
    if (udpListen.length > 0) {
      this.udp = new UdpTransport({
        listen: udpListen,
        maxDatagramBytes: options.maxDatagramBytes ?? 65_507,
        logger: this.logger.child('udp'),
        onDatagram: (datagram, source) => this.receive(datagram, source, 'datagram'),
        onDropped: (source, reason) => this.dropped(source, reason),
      });
    }
    const streamOptions = (protocol: 'tcp' | 'tls', listen: readonly ListenAddress[]): StreamTransportOptions => ({
      listen,
      clock: this.clock,
      logger: this.logger.child(protocol),
      idleTimeoutMs: options.idleTimeoutMs ?? 300_000,
      maxConnections: options.maxConnections ?? 64,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      pongTimeoutMs: options.keepAlivePongTimeoutMs ?? 10_000,
      createFramer: () =>
        new StreamFramer({
          maxMessageBytes: this.maxMessageBytes,
          maxBufferedBytes: options.maxConnectionBufferBytes ?? 2 * this.maxMessageBytes,
        }),
      onMessage: (bytes, source) => this.receive(bytes, source, 'stream'),
      onConnectionOpened: (connection) => this.connectionOpened(connection),
      onConnectionClosed: (connection, reason) =>
        this.events.emit({ type: 'connection-closed', protocol, connectionId: connection.id, remote: connection.remote, reason }),
      onKeepAliveTimeout: (connection) =>
        this.events.emit({ type: 'keepalive-timeout', protocol, connectionId: connection.id, remote: connection.remote }),
    });
    const tcpListen = options.tcp ?? [{ address: '0.0.0.0', port: 5060 }];
    if (tcpListen.length > 0) this.tcp = new TcpTransport(streamOptions('tcp', tcpListen));
    if (options.tls) {
      const tlsListen = options.tls.serverCertificate ? (options.tls.listen ?? [{ address: '0.0.0.0', port: 5061 }]) : [];
      this.tls = new TlsTransport({ ...streamOptions('tls', tlsListen), tls: options.tls });
    }
  }

  /** Binds every listening socket; rejects when one cannot be bound (port in use...). */
  async start(): Promise<void> {
    try {
      await this.udp?.start();
      await this.tcp?.start();
      await this.tls?.start();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Stops keep-alives, closes every connection and socket. */
  async stop(): Promise<void> {
    for (const handle of [...this.keepAlives]) handle.stop();
    await Promise.all([this.udp?.close(), this.tcp?.close(), this.tls?.close()]);
  }

  /** Every listening address per protocol (ports resolved when 0 was configured). */
  listeningAddresses(protocol: TransportProtocol): readonly LocalAddress[] {
    const transport = protocol === 'udp' ? this.udp : protocol === 'tcp' ? this.tcp : this.tls;
    return (transport?.addresses ?? []).map(({ address, port }) => ({ host: address, port }));
  }

  /** Subscribes to every parsed incoming message; a throwing handler is logged and never stops the others. */
  onMessage(handler: MessageHandler): Unsubscribe {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /**
   * Sends `message` to `destination` (RFC 3261 §18.1.1 / §18.2.2).
   *
   * RFC 3261 §18.1.1: a request for UDP larger than `udpToTcpThresholdBytes`
   * goes over TCP when TCP is enabled. The layer then rewrites the top Via of
   * `message` IN PLACE: transport `TCP`, and the sent-by port when it was our
   * UDP port. The caller sees the protocol used in `SendResult.protocol` (and
   * the Via in the message it passed). A failed TCP attempt rejects with a
   * TransportError; there is no fall-back to UDP.
   *
   * Rejects with `TransportError` for every transport failure (connection
   * refused, TLS verification, no socket for the address family).
   */
  async send(message: SipMessage, destination: Destination): Promise<SendResult> {
    let bytes = serializeMessage(message);
    if (
      message.kind === 'request' &&
      destination.protocol === 'udp' &&
      bytes.length > this.udpToTcpThresholdBytes &&
      this.switchLargeRequestsToTcp &&
      this.tcp !== undefined
    ) {
      const tcpDestination: Destination = { ...destination, protocol: 'tcp' };
      this.switchTopViaToTcp(message, destination, tcpDestination);
      bytes = serializeMessage(message);
      this.logger.debug('request too large for UDP; sending over TCP (RFC 3261 §18.1.1)', {
        bytes: bytes.length,
        thresholdBytes: this.udpToTcpThresholdBytes,
      });
      return this.sendStream(this.tcp, bytes, tcpDestination);
    }
    switch (destination.protocol) {
      case 'udp':
        return this.sendUdp(bytes, destination);
      case 'tcp':
        return this.sendStream(this.tcp, bytes, destination);
      case 'tls':
        return this.sendStream(this.tls, bytes, destination);
    }
  }

  /**
   * The address/port to put in Via sent-by and Contact for `destination`:
   * the public address learned from that server's responses (RFC 3581) when
   * there is one, else the interface address toward it (from `probeLocalAddress`
   * or a connection when known, else the listening address or a guess from the
   * interface list) and our listening port for the protocol.
   */
  localAddressFor(protocol: TransportProtocol, destination: Destination): LocalAddress {
    const learned = this.publicAddresses.get(protocol, destination);
    if (learned) return learned;
    return { host: this.interfaceAddressToward(protocol, destination.address), port: this.listeningPort(protocol, destination.address) };
  }

  /** Asks the kernel which interface address it would use toward `destination` and caches it for `localAddressFor`. */
  async probeLocalAddress(protocol: TransportProtocol, destination: Destination): Promise<LocalAddress> {
    try {
      const address = await probeRouteAddress(destination.address, destination.port);
      this.routeAddresses.set(routeKey(destination.address), address);
    } catch (error) {
      this.logger.debug('route probe failed; guessing the local address', { destination: destination.address, error });
    }
    return this.localAddressFor(protocol, destination);
  }

  /**
   * RFC 3581 §4 / RFC 3261 §18.2.1: looks at the top Via of a received
   * response; when its `received`/`rport` differ from our sent-by (or from
   * what we learned before), records our public address for that protocol and
   * server (the response's source) and emits `public-address-changed`.
   * Returns the new address when it changed.
   */
  learnFromResponse(incoming: IncomingMessage): LocalAddress | undefined {
    if (incoming.message.kind !== 'response') return undefined;
    let via;
    try {
      via = topVia(incoming.message);
    } catch {
      return undefined;
    }
    const protocol = incoming.source.protocol;
    const defaultPort = protocol === 'tls' ? 5061 : 5060;
    const sentBy: LocalAddress = { host: viaHostAddress(via), port: via.port ?? defaultPort };
    const received = via.params.get('received');
    const rport = via.params.get('rport');
    // On TCP/TLS `rport` is the ephemeral source port of that one connection:
    // it says nothing about where we can be reached, so only the host is learned.
    const learnPort = protocol === 'udp' && rport !== undefined && rport !== null && /^\d+$/.test(rport);
    const observed: LocalAddress = {
      host: received ? received.replace(/^\[|\]$/g, '') : sentBy.host,
      port: learnPort ? Number(rport) : sentBy.port,
    };
    const server = { address: incoming.source.address, port: incoming.source.port };
    const change = this.publicAddresses.learn(protocol, server, sentBy, observed);
    if (!change) return undefined;
    this.logger.info('public address changed (RFC 3581)', { protocol, server: server.address, previous: change.previous, current: change.current });
    this.events.emit({ type: 'public-address-changed', protocol, server, previous: change.previous, current: change.current });
    return change.current;
  }

  /**
   * RFC 5626 keep-alives toward `destination` every `intervalMs`:
   * - UDP: a CRLFCRLF datagram (keeps NAT bindings open; no answer expected);
   * - TCP/TLS: a CRLFCRLF ping on the open connection to it; without a CRLF
   *   pong within `keepAlivePongTimeoutMs` the connection is closed and
   *   `keepalive-timeout` emitted (§4.4.1). No connection is opened for it.
   */
  startKeepAlive(destination: Destination, options: KeepAliveOptions): KeepAliveHandle {
    const timer = startKeepAliveTimer({ clock: this.clock, intervalMs: options.intervalMs, tick: () => this.keepAliveTick(destination) });
    const handle: KeepAliveHandle = {
      stop: () => {
        timer.stop();
        this.keepAlives.delete(handle);
      },
    };
    this.keepAlives.add(handle);
    return handle;
  }

  /** Number of open stream connections (TCP + TLS). */
  get connectionCount(): number {
    return (this.tcp?.connectionCount ?? 0) + (this.tls?.connectionCount ?? 0);
  }

  private keepAliveTick(destination: Destination): void {
    if (destination.protocol === 'udp') {
      this.udp?.send(CRLFCRLF, destination.address, destination.port).catch((error: unknown) =>
        this.logger.warn('UDP keep-alive not sent', { destination: destination.address, port: destination.port, error }),
      );
      return;
    }
    const transport = destination.protocol === 'tcp' ? this.tcp : this.tls;
    const connection = transport?.connectionFor(destination);
    if (!connection) {
      this.logger.debug('no connection to keep alive', { destination: destination.address, port: destination.port });
      return;
    }
    connection.ping();
  }

  private async sendUdp(bytes: Buffer, destination: Destination): Promise<SendResult> {
    if (!this.udp) throw new TransportError('UDP is not enabled', destination);
    try {
      await this.udp.send(bytes, destination.address, destination.port);
    } catch (error) {
      throw new TransportError(`UDP send to ${destination.address}:${destination.port} failed: ${errorText(error)}`, destination, error);
    }
    return { protocol: 'udp' };
  }

  private async sendStream(transport: StreamTransport | undefined, bytes: Buffer, destination: Destination): Promise<SendResult> {
    if (!transport) throw new TransportError(`${destination.protocol.toUpperCase()} is not enabled`, destination);
    try {
      const { connectionId } = await transport.send(bytes, destination);
      return { protocol: transport.protocol, connectionId };
    } catch (error) {
      throw new TransportError(
        `${transport.protocol.toUpperCase()} send to ${destination.address}:${destination.port} failed: ${errorText(error)}`,
        destination,
        error,
      );
    }
  }

  /** RFC 3261 §18.1.1: "the value in the top Via MUST be changed" when the transport changes. */
  private switchTopViaToTcp(message: SipMessage, udpDestination: Destination, tcpDestination: Destination): void {
    let via;
    try {
      via = topVia(message);
    } catch {
      return;
    }
    const udpSentBy = this.localAddressFor('udp', udpDestination);
    const tcpSentBy = this.localAddressFor('tcp', tcpDestination);
    const port = via.port === udpSentBy.port && viaHostAddress(via) === udpSentBy.host ? tcpSentBy.port : via.port;
    replaceTopVia(message, { ...via, transport: 'TCP', port });
  }

  private receive(bytes: Buffer, source: Source, framing: 'datagram' | 'stream'): void {
    // RFC 5626 §3.5.1 / RFC 3261 §7.5: a datagram of CRLFs is a keep-alive, not a message.
    if (framing === 'datagram' && isOnlyCrlf(bytes)) {
      this.logger.trace('UDP keep-alive received', { from: source.address, port: source.port });
      return;
    }
    const result = parseMessage(bytes, { transport: framing, maxMessageBytes: this.maxMessageBytes });
    if (!result.ok) {
      this.rejectMalformed(result, bytes, source);
      return;
    }
    const { message } = result;
    if (message.kind === 'request') {
      this.stampReceived(message, source);
    } else if (!hasUsableTopVia(message)) {
      // RFC 3261 §18.1.2: a response must match a Via we sent; without one it goes nowhere.
      this.dropped(source, 'response without a usable Via');
      return;
    }
    const incoming: IncomingMessage = { message, source, raw: bytes };
    for (const handler of [...this.handlers]) {
      try {
        handler(incoming);
      } catch (error) {
        this.logger.error('message handler threw', { from: source.address, port: source.port, error });
      }
    }
  }

  /** RFC 3261 §8.2 / §21.4.1: answer what can be answered (never an ACK), drop the rest with a log line. */
  private rejectMalformed(result: Extract<ReturnType<typeof parseMessage>, { ok: false }>, bytes: Buffer, source: Source): void {
    const { error, partial } = result;
    if (partial?.kind === 'request' && partial.method !== 'ACK') {
      this.logger.info('answering malformed request', { from: source.address, port: source.port, status: error.status, reason: error.reason });
      let response;
      try {
        response = createResponse(partial, error.status, error.reason);
      } catch (buildError) {
        this.logger.warn('malformed request cannot be answered; dropped', { from: source.address, reason: error.reason, error: buildError });
        this.dropped(source, error.reason);
        return;
      }
      this.send(response, responseDestination(partial, source)).catch((sendError: unknown) =>
        this.logger.warn('could not send the error response', { to: source.address, error: sendError }),
      );
      return;
    }
    this.logger.warn('unparseable message dropped', { from: source.address, port: source.port, bytes: bytes.length, reason: error.reason });
    this.dropped(source, error.reason);
  }

  /**
   * RFC 3261 §18.2.1: add `received` when the sent-by host is not the source
   * address; RFC 3581 §4: fill in a valueless `rport` with the source port
   * (and then always add `received`).
   */
  private stampReceived(message: SipMessage, source: Source): void {
    let via;
    try {
      via = topVia(message);
    } catch {
      return;
    }
    const params = new Map(via.params);
    const wantsRport = params.has('rport') && params.get('rport') === null;
    const hostDiffers = viaHostAddress(via).toLowerCase() !== source.address.toLowerCase();
    if (!hostDiffers && !wantsRport) return;
    params.set('received', source.address);
    if (wantsRport) params.set('rport', String(source.port));
    replaceTopVia(message, { ...via, params });
  }

  private connectionOpened(connection: StreamConnection): void {
    if (connection.localAddress) this.routeAddresses.set(routeKey(connection.remote.address), connection.localAddress);
    this.events.emit({
      type: 'connection-opened',
      protocol: connection.protocol,
      connectionId: connection.id,
      remote: connection.remote,
      direction: connection.direction,
    });
  }

  private dropped(source: Source, reason: string): void {
    this.events.emit({ type: 'message-dropped', protocol: source.protocol, remote: { address: source.address, port: source.port }, reason });
  }

  private interfaceAddressToward(protocol: TransportProtocol, remoteAddress: string): string {
    const known = this.routeAddresses.get(routeKey(remoteAddress));
    if (known) return known;
    const family = familyOf(remoteAddress);
    const specific = this.listeningAddresses(protocol).find((a) => familyOf(a.host) === family && !isWildcard(a.host));
    if (specific) return specific.host;
    return guessRouteAddress(remoteAddress);
  }

  /** Our listening port for the protocol and family; TLS without a server falls back to TCP's port, then 5061. */
  private listeningPort(protocol: TransportProtocol, remoteAddress: string): number {
    const family = familyOf(remoteAddress);
    const pick = (p: TransportProtocol): number | undefined => {
      const addresses = this.listeningAddresses(p);
      return (addresses.find((a) => familyOf(a.host) === family) ?? addresses[0])?.port;
    };
    if (protocol === 'tls') return pick('tls') ?? pick('tcp') ?? 5061;
    return pick(protocol) ?? 5060;
  }
}

function routeKey(remoteAddress: string): string {
  return `${familyOf(remoteAddress)}|${remoteAddress}`;
}

function isOnlyCrlf(bytes: Buffer): boolean {
  if (bytes.length === 0) return true;
  for (const byte of bytes) if (byte !== 0x0d && byte !== 0x0a) return false;
  return true;
}

function hasUsableTopVia(message: SipMessage): boolean {
  try {
    topVia(message);
    return true;
  } catch {
    return false;
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
