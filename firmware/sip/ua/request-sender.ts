/**
 * The seam through which a user-agent core (registration, OPTIONS, later
 * out-of-dialog INVITEs) sends a request outside any dialog: the sender
 * locates the next hop (RFC 3263), adds the Via, runs a client transaction,
 * and fails over to the next target on timeout, transport error or 503
 * (RFC 3263 §4.3).
 */
import type { SipRequest, SipResponse, SipUri } from '../message/types.ts';
import type { Destination, LocalAddress } from '../transport/types.ts';

export interface SendContext {
  /** The target being tried (after RFC 3263). */
  readonly destination: Destination;
  /** Our address/port for Via and Contact on the path to it (the learned public address when behind NAT, RFC 3581). */
  readonly local: LocalAddress;
}

export interface SendOptions {
  /** Where the request goes first: the registrar, or the outbound proxy. */
  readonly nextHop: SipUri;
  /**
   * Completes the request for one target, just before it is sent (the
   * Contact carries the address and transport of that target's flow). The
   * request passed is a copy per target; the sender adds the Via itself.
   */
  readonly prepare?: (request: SipRequest, context: SendContext) => void;
  /** Provisional (1xx) responses, for callers that show progress. */
  readonly onProvisional?: (response: SipResponse) => void;
}

export type RequestOutcome =
  /** A final response (the last target's, when the earlier ones answered 503). */
  | { readonly kind: 'response'; readonly response: SipResponse; readonly request: SipRequest; readonly destination: Destination }
  /** Every target timed out (Timer B/F) or failed; `reason` says how the last one failed. */
  | { readonly kind: 'failed'; readonly reason: string; readonly cause: 'timeout' | 'transport' | 'resolution'; readonly request: SipRequest };

export interface RequestSender {
  send(request: SipRequest, options: SendOptions): Promise<RequestOutcome>;
}
