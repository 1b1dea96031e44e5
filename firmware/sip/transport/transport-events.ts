/**
 * Everything the transport layer reports besides incoming messages, as one
 * discriminated union delivered by `TypedEmitter` (`transport.events.on(...)`).
 */
import type { LocalAddress, TransportProtocol } from './types.ts';

export interface RemoteEndpoint {
  readonly address: string;
  readonly port: number;
}

export type ConnectionCloseReason =
  | 'remote-closed'
  | 'error'
  | 'idle-timeout'
  | 'keepalive-timeout'
  | 'framing-error'
  | 'evicted'
  | 'shutdown';

export type TransportEvent =
  /**
   * RFC 3581 §4 / RFC 3261 §18.2.1: a response's top Via `received`/`rport`
   * showed that `server` sees us at `current` (we are behind a NAT, or the
   * NAT binding changed). Registration re-registers with a new Contact.
   */
  | {
      readonly type: 'public-address-changed';
      readonly protocol: TransportProtocol;
      readonly server: RemoteEndpoint;
      /** What we believed before: the previously learned address, or the Via sent-by we used. */
      readonly previous: LocalAddress;
      readonly current: LocalAddress;
    }
  /** RFC 5626 §4.4.1: no CRLF pong within the timeout after a CRLFCRLF ping; the connection was closed. */
  | {
      readonly type: 'keepalive-timeout';
      readonly protocol: TransportProtocol;
      readonly connectionId: string;
      readonly remote: RemoteEndpoint;
    }
  | {
      readonly type: 'connection-opened';
      readonly protocol: TransportProtocol;
      readonly connectionId: string;
      readonly remote: RemoteEndpoint;
      readonly direction: 'inbound' | 'outbound';
    }
  | {
      readonly type: 'connection-closed';
      readonly protocol: TransportProtocol;
      readonly connectionId: string;
      readonly remote: RemoteEndpoint;
      readonly reason: ConnectionCloseReason;
    }
  /** Something arrived that could not be delivered (unparseable, oversized, a response without Via). */
  | {
      readonly type: 'message-dropped';
      readonly protocol: TransportProtocol;
      readonly remote: RemoteEndpoint;
      readonly reason: string;
    };
