/**
 * The seam between the transport layer (RFC 3261 §18) and the layers above.
 * Transactions and the UA see only these types; sockets stay inside
 * `firmware/sip/transport/`.
 */
import type { SipMessage } from '../message/types.ts';

export type TransportProtocol = 'udp' | 'tcp' | 'tls';

/** Where a message goes: a resolved address (RFC 3263 has already run). */
export interface Destination {
  readonly protocol: TransportProtocol;
  /** IPv4 or IPv6 literal, without brackets. */
  readonly address: string;
  readonly port: number;
  /** Host name for TLS SNI and certificate verification (the name the URI held before resolution). */
  readonly serverName?: string;
  /**
   * Stream transports: send on this connection when it is still open (a
   * response to a request that arrived on it, RFC 3261 §18.2.2; a request on
   * a flow). Falls back to address/port when it has closed.
   */
  readonly connectionId?: string;
}

/** Where a message came from, and on which of our sockets/connections. */
export interface Source {
  readonly protocol: TransportProtocol;
  readonly address: string;
  readonly port: number;
  /** Stream transports: the connection it arrived on, so responses reuse it (RFC 3261 §18.2.2). */
  readonly connectionId?: string;
  /** Our local address/port it arrived at. */
  readonly localAddress: string;
  readonly localPort: number;
}

export interface IncomingMessage {
  readonly message: SipMessage;
  readonly source: Source;
  /** Raw bytes as received (for traces). */
  readonly raw: Buffer;
}

/** The address we put in Via sent-by / Contact for a protocol: learned from rport/received when behind NAT. */
export interface LocalAddress {
  readonly host: string;
  readonly port: number;
}

export interface SendResult {
  /** The protocol actually used (UDP may have been switched to TCP, RFC 3261 §18.1.1). */
  readonly protocol: TransportProtocol;
  readonly connectionId?: string;
}

/** A transport-level failure (connection refused, TLS verification failed, ICMP unreachable): RFC 3261 §8.1.3.1 treats it like a 503. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly destination: Destination,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export function isReliable(protocol: TransportProtocol): boolean {
  return protocol !== 'udp';
}
