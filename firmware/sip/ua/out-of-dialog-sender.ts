/**
 * Sends requests outside any dialog (REGISTER, OPTIONS, a first INVITE):
 * locate the next hop (RFC 3263 §4), and for each target in turn add our
 * Via, run a client transaction, and move on when the target does not answer.
 *
 * RFC 3263 §4.3: "If a failure occurs based on the transport, or the
 * transaction times out, or a 503 (Service Unavailable) is received, the
 * client SHOULD try the next element in the list."
 */
import { silentLogger, type Logger } from '../../log/logger.ts';
import type { SipRequest, SipResponse } from '../message/types.ts';
import { DnsResolutionError } from '../resolver/dns-resolution-error.ts';
import type { DestinationBlacklist } from '../resolver/destination-blacklist.ts';
import type { ResolvableUri } from '../resolver/rfc3263-resolver.ts';
import { TargetIterator } from '../resolver/target-iterator.ts';
import { addTopVia } from '../transaction/add-top-via.ts';
import type { ClientTransactionHandlers } from '../transaction/transaction-layer.ts';
import type { ClientTransactionEvent } from '../transaction/types.ts';
import type { Destination, LocalAddress, TransportProtocol } from '../transport/types.ts';
import type { RequestOutcome, RequestSender, SendOptions } from './request-sender.ts';

/** The parts of the stack the sender uses (small, so tests can stand in for them). */
export interface SenderDependencies {
  readonly resolve: (uri: ResolvableUri) => Promise<Destination[]>;
  readonly localAddressFor: (protocol: TransportProtocol, destination: Destination) => Promise<LocalAddress>;
  readonly sendRequest: (request: SipRequest, destination: Destination, handlers: ClientTransactionHandlers) => void;
  readonly blacklist?: DestinationBlacklist;
  readonly logger?: Logger;
}

type TargetResult =
  | { readonly kind: 'response'; readonly response: SipResponse; readonly request: SipRequest }
  | { readonly kind: 'timeout' | 'transport'; readonly reason: string; readonly request: SipRequest };

export class OutOfDialogSender implements RequestSender {
  private readonly logger: Logger;

  constructor(private readonly deps: SenderDependencies) {
    this.logger = deps.logger ?? silentLogger;
  }

  async send(request: SipRequest, options: SendOptions): Promise<RequestOutcome> {
    let destinations: Destination[];
    try {
      destinations = await this.deps.resolve(options.nextHop);
    } catch (error) {
      const reason = error instanceof DnsResolutionError || error instanceof Error ? error.message : String(error);
      this.logger.warn('next hop could not be located', { host: options.nextHop.host, reason });
      return { kind: 'failed', cause: 'resolution', reason, request };
    }
    const targets = new TargetIterator(destinations, this.deps.blacklist ? { blacklist: this.deps.blacklist } : {});
    let last: { readonly result: TargetResult; readonly destination: Destination } | undefined;
    for (let destination = targets.next(); destination !== undefined; destination = targets.next()) {
      const result = await this.tryTarget(request, destination, options);
      const serviceUnavailable = result.kind === 'response' && result.response.status === 503;
      if (result.kind === 'response' && !serviceUnavailable) {
        return { kind: 'response', response: result.response, request: result.request, destination };
      }
      targets.markFailed(destination);
      last = { result, destination };
      if (targets.remaining > 0) {
        this.logger.info('target failed; trying the next one (RFC 3263 §4.3)', {
          target: describe(destination),
          failure: result.kind === 'response' ? `${result.response.status} ${result.response.reason}` : result.reason,
        });
      }
    }
    if (last === undefined) return { kind: 'failed', cause: 'resolution', reason: `no targets for ${options.nextHop.host}`, request };
    const { result, destination } = last;
    if (result.kind === 'response') return { kind: 'response', response: result.response, request: result.request, destination };
    return { kind: 'failed', cause: result.kind, reason: result.reason, request: result.request };
  }

  private async tryTarget(original: SipRequest, destination: Destination, options: SendOptions): Promise<TargetResult> {
    const request: SipRequest = { ...original, headers: [...original.headers] };
    let local: LocalAddress;
    try {
      local = await this.deps.localAddressFor(destination.protocol, destination);
    } catch (error) {
      return { kind: 'transport', reason: `no local address toward ${describe(destination)}: ${String(error)}`, request };
    }
    options.prepare?.(request, { destination, local });
    addTopVia(request, { transport: destination.protocol, host: local.host, port: local.port });
    return new Promise<TargetResult>((resolve) => {
      const onEvent = (event: ClientTransactionEvent): void => {
        switch (event.type) {
          case 'response':
            if (event.response.status < 200) options.onProvisional?.(event.response);
            else resolve({ kind: 'response', response: event.response, request });
            return;
          case 'timeout':
            resolve({ kind: 'timeout', reason: `no answer from ${describe(destination)} (Timer ${event.timer})`, request });
            return;
          case 'transport-error':
            resolve({ kind: 'transport', reason: `cannot reach ${describe(destination)}: ${event.error.message}`, request });
            return;
        }
      };
      try {
        this.deps.sendRequest(request, destination, { onEvent });
      } catch (error) {
        resolve({ kind: 'transport', reason: `cannot send to ${describe(destination)}: ${String(error)}`, request });
      }
    });
  }
}

function describe(destination: Destination): string {
  const host = destination.address.includes(':') ? `[${destination.address}]` : destination.address;
  return `${destination.protocol.toUpperCase()} ${host}:${destination.port}`;
}
