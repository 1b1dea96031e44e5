/**
 * Where a server transaction sends its responses: RFC 3261 §18.2.2 with the
 * RFC 3581 §4 (rport) rule. The transport layer owns the sockets; this only
 * computes the `Destination`.
 */
import type { Via } from '../message/types.ts';
import { isReliable, type Destination, type Source, type TransportProtocol } from '../transport/types.ts';

/** A response destination: for stream transports, also the connection the request came on. */
export interface ResponseDestination extends Destination {
  /**
   * RFC 3261 §18.2.2: send on this connection when it is still open; when it
   * is not, open a new one to `address`:`port`.
   */
  readonly connectionId?: string;
}

export interface ResponseDestinationInput {
  /** The top Via of the request (equal to the response's top Via). */
  readonly via: Via;
  /** Where the request came from. */
  readonly source: Source;
}

/** RFC 3261 §18.2.2 / §19.1.2: the port when sent-by has none. */
function defaultPort(protocol: TransportProtocol): number {
  return protocol === 'tls' ? 5061 : 5060;
}

/** Destination addresses carry IPv6 without brackets; Via hosts keep them. */
function withoutBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function rportValue(via: Via, source: Source): number | undefined {
  if (!via.params.has('rport')) return undefined;
  const value = via.params.get('rport');
  // RFC 3581 §4: the server fills an empty rport with the source port; when
  // the transport has not done so, the source port is that value.
  if (value === null || value === undefined || value === '') return source.port;
  const port = Number(value);
  return Number.isInteger(port) && port > 0 && port <= 65535 ? port : source.port;
}

export function responseDestination(input: ResponseDestinationInput): ResponseDestination {
  const { via, source } = input;
  const received = via.params.get('received');
  const receivedAddress = received ? withoutBrackets(received) : undefined;
  const sentByPort = via.port ?? defaultPort(source.protocol);

  if (isReliable(source.protocol)) {
    // RFC 3261 §18.2.2: If the "sent-protocol" is a reliable transport
    // protocol such as TCP or SCTP, or TLS over those, the response MUST be
    // sent using the existing connection to the source of the original
    // request that created the transaction, if that connection is still
    // open. [...] If the connection is no longer open, the server SHOULD
    // open a connection to the IP address in the "received" parameter, if
    // present, using the port in the "sent-by" value, or the default port
    // for that transport, if no port is specified.
    const destination: ResponseDestination = {
      protocol: source.protocol,
      address: receivedAddress ?? source.address,
      port: sentByPort,
    };
    return source.connectionId === undefined ? destination : { ...destination, connectionId: source.connectionId };
  }

  const maddr = via.params.get('maddr');
  if (maddr) {
    // RFC 3261 §18.2.2: Otherwise, if the Via header field value contains a
    // "maddr" parameter, the response MUST be forwarded to the address
    // listed there, using the port indicated in "sent-by", or port 5060 if
    // none is present.
    return { protocol: source.protocol, address: withoutBrackets(maddr), port: sentByPort };
  }

  const rport = rportValue(via, source);
  if (rport !== undefined) {
    // RFC 3581 §4: If the "sent-protocol" component indicates an unreliable
    // unicast transport protocol, such as UDP, and there is no "maddr"
    // parameter, but there is both a "received" parameter and an "rport"
    // parameter, the response MUST be sent to the IP address listed in the
    // "received" parameter, and the port in the "rport" parameter.
    return { protocol: source.protocol, address: receivedAddress ?? source.address, port: rport };
  }

  // RFC 3261 §18.2.2: Otherwise (for unreliable unicast transports), if the
  // top Via has a "received" parameter, the response MUST be sent to the
  // address in the "received" parameter, using the port indicated in the
  // "sent-by" value, or using port 5060 if none is specified explicitly.
  // Otherwise the response goes to the address in "sent-by".  §18.2.1 adds
  // "received" whenever sent-by differs from the packet's source address, so
  // without it the source address *is* the sent-by address (and needs no
  // RFC 3263 lookup).
  return { protocol: source.protocol, address: receivedAddress ?? source.address, port: sentByPort };
}
