/**
 * The seams of the transaction layer: what it needs from the transport
 * (RFC 3261 §18) below, and the typed events it gives the TU above.
 */
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../log/logger.ts';
import type { SipMessage, SipRequest, SipResponse } from '../message/types.ts';
import type { Destination, SendResult, Source, TransportError } from '../transport/types.ts';
import type { TimerConfig } from './timer-config.ts';

/** The network, as a transaction sees it. `send` rejects with a `TransportError` when delivery failed. */
export interface TransactionTransport {
  send(message: SipMessage, destination: Destination): Promise<SendResult>;
}

/** What a client transaction (ICT or NICT) tells the TU that sent the request. */
export type ClientTransactionEvent =
  /** A provisional or final response, including RFC 6026 2xx retransmissions in Accepted. */
  | { readonly type: 'response'; readonly response: SipResponse }
  /**
   * Timer B (INVITE) or Timer F (non-INVITE) fired without a final response.
   * RFC 3261 §8.1.3.1: the TU treats it like a 408 (Request Timeout).
   */
  | { readonly type: 'timeout'; readonly timer: 'B' | 'F'; readonly equivalentStatus: 408 }
  /**
   * RFC 3261 §17.1.4: the transport could not deliver the request (or the ACK);
   * RFC 3261 §8.1.3.1: the TU treats it like a 503 (Service Unavailable).
   */
  | { readonly type: 'transport-error'; readonly error: TransportError; readonly equivalentStatus: 503 };

/** What a server transaction (IST or NIST) tells its owner. */
export type ServerTransactionEvent =
  /** RFC 6026 §7.1: an ACK matching an INVITE server transaction in Accepted goes to the TU. */
  | { readonly type: 'ack'; readonly request: SipRequest; readonly source: Source }
  /** RFC 3261 §17.2.1: Timer H fired, the ACK for a non-2xx final response never came. */
  | { readonly type: 'timeout'; readonly timer: 'H' }
  /** RFC 3261 §17.2.4 as updated by RFC 6026 §8.8: a response could not be delivered. */
  | { readonly type: 'transport-error'; readonly error: TransportError };

/** The sinks every transaction is built with. */
export interface TransactionHooks<Event> {
  /** Events for the transaction user. */
  readonly onEvent: (event: Event) => void;
  /** Called once, when the transaction enters Terminated (the owner drops it from its tables). */
  readonly onTerminated?: () => void;
}

/** Construction options shared by the two client transactions. */
export interface ClientTransactionOptions extends TransactionHooks<ClientTransactionEvent> {
  /** The transaction key (top Via branch + method); used in logs. */
  readonly id: string;
  /** The request, top Via (with its branch) already in place. */
  readonly request: SipRequest;
  /** Where the request (and, for an INVITE, the ACK for a non-2xx) goes. */
  readonly destination: Destination;
  readonly transport: TransactionTransport;
  readonly clock: Clock;
  /** Defaults to `DEFAULT_TIMER_CONFIG`. */
  readonly timerConfig?: TimerConfig;
  readonly logger?: Logger;
}

/** Construction options shared by the two server transactions. */
export interface ServerTransactionOptions extends TransactionHooks<ServerTransactionEvent> {
  /** The transaction key; used in logs. */
  readonly id: string;
  /** The request that created the transaction. */
  readonly request: SipRequest;
  /** Where it came from: decides reliability (Timers G, I, J) and the connection to answer on. */
  readonly source: Source;
  /** Where responses go (RFC 3261 §18.2.2; see `transport/response-destination.ts`), with the connection to reuse. */
  readonly responseDestination: Destination;
  readonly transport: TransactionTransport;
  readonly clock: Clock;
  readonly timerConfig?: TimerConfig;
  readonly logger?: Logger;
}
