/**
 * RFC 3261 §18.2.2 and RFC 3581 §4: where the response to a received request
 * goes. Pass the result to `TransportLayer.send`.
 */
import { isIP } from 'node:net';
import type { SipMessage } from '../message/types.ts';
import { topVia, viaHostAddress } from './top-via.ts';
import type { Destination, Source } from './types.ts';

/**
 * - reliable transport: the connection the request arrived on
 *   (`connectionId`); if it has closed by then, the transport opens one to the
 *   `received` address and the sent-by port (§18.2.2);
 * - `maddr` present: that address, sent-by port (or 5060);
 * - RFC 3581: `rport` present → source address and source port;
 * - otherwise `received` (the source address) and the sent-by port or 5060.
 */
export function responseDestination(request: SipMessage, source: Source): Destination {
  let via;
  try {
    via = topVia(request);
  } catch {
    // No usable Via (answering a malformed request): back to where it came from.
    return { protocol: source.protocol, address: source.address, port: source.port, ...connection(source) };
  }
  const defaultPort = source.protocol === 'tls' ? 5061 : 5060;
  const sentByPort = via.port ?? defaultPort;
  if (source.protocol !== 'udp') {
    return { protocol: source.protocol, address: source.address, port: sentByPort, ...connection(source) };
  }
  const maddr = via.params.get('maddr');
  if (maddr && isIP(maddr.replace(/^\[|\]$/g, '')) !== 0) {
    return { protocol: 'udp', address: maddr.replace(/^\[|\]$/g, ''), port: sentByPort };
  }
  if (via.params.has('rport')) return { protocol: 'udp', address: source.address, port: source.port };
  const received = via.params.get('received')?.replace(/^\[|\]$/g, '');
  const address = received ?? (isIP(viaHostAddress(via)) !== 0 ? viaHostAddress(via) : source.address);
  return { protocol: 'udp', address, port: sentByPort };
}

function connection(source: Source): { connectionId?: string } {
  return source.connectionId === undefined ? {} : { connectionId: source.connectionId };
}
