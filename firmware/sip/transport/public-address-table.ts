/**
 * RFC 3581 §4 / RFC 3261 §18.2.1: what the servers we talk to see as our
 * address (`received`/`rport` of the top Via of their responses), per
 * protocol and server, so Via and Contact can carry it.
 */
import type { RemoteEndpoint } from './transport-events.ts';
import type { LocalAddress, TransportProtocol } from './types.ts';

export interface PublicAddressChange {
  readonly previous: LocalAddress;
  readonly current: LocalAddress;
}

export class PublicAddressTable {
  private readonly learned = new Map<string, LocalAddress>();

  get(protocol: TransportProtocol, server: RemoteEndpoint): LocalAddress | undefined {
    return this.learned.get(key(protocol, server));
  }

  /**
   * Records `observed` (what the server saw) given `sentBy` (what we wrote).
   * Returns the change when our belief changed: first time the server sees
   * something other than our sent-by, or a later change of it.
   */
  learn(protocol: TransportProtocol, server: RemoteEndpoint, sentBy: LocalAddress, observed: LocalAddress): PublicAddressChange | undefined {
    const k = key(protocol, server);
    const previous = this.learned.get(k) ?? sentBy;
    if (same(previous, observed)) return undefined;
    this.learned.set(k, observed);
    return { previous, current: observed };
  }

  clear(): void {
    this.learned.clear();
  }
}

function key(protocol: TransportProtocol, server: RemoteEndpoint): string {
  return `${protocol}|${server.address}|${server.port}`;
}

function same(a: LocalAddress, b: LocalAddress): boolean {
  return a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port;
}
