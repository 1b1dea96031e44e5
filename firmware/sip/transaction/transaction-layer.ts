/**
 * The RFC 3261 §17 transaction layer: owns the client and server transaction
 * tables, matches every incoming message to its transaction, and hands the
 * TU what no transaction takes.
 *
 * Sending (UAC side):
 *
 * ```ts
 * addTopVia(request, { transport: 'udp', host: '192.0.2.10', port: 5060 });
 * layer.sendRequest(request, destination, { onEvent: (event) => { ... } });
 * ```
 *
 * Receiving (UAS side): the transport calls `receive(incoming)`; new
 * requests reach the TU as `{ type: 'request', transaction }` events and the
 * TU answers with `transaction.respond(createResponse(...))`.
 */
import type { Clock } from '../../core/clock.ts';
import { silentLogger, type Logger } from '../../log/logger.ts';
import { createResponse } from '../message/build.ts';
import { SipSyntaxError } from '../message/errors.ts';
import { toTag } from '../message/header-values.ts';
import type { SipRequest, SipResponse } from '../message/types.ts';
import { responseDestination } from '../transport/response-destination.ts';
import type { Destination, IncomingMessage, Source, TransportError } from '../transport/types.ts';
import { deliverMessage, type DeliveryOutcome } from './deliver-message.ts';
import { InviteClientTransaction } from './invite-client-transaction.ts';
import { InviteServerTransaction } from './invite-server-transaction.ts';
import { NonInviteClientTransaction } from './non-invite-client-transaction.ts';
import { NonInviteServerTransaction } from './non-invite-server-transaction.ts';
import { createTimerConfig, type TimerConfig } from './timer-config.ts';
import {
  clientKeyOfRequest,
  clientKeyOfResponse,
  isRfc3261Branch,
  mergedRequestKey,
  serverKey,
  topBranch,
} from './transaction-key.ts';
import type { ClientTransactionEvent, ServerTransactionEvent, TransactionTransport } from './types.ts';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

/** How a TU follows one request it sent. */
export interface ClientTransactionHandlers {
  readonly onEvent: (event: ClientTransactionEvent) => void;
}

/** Everything the layer hands the TU that is not an answer to a request the TU sent. */
export type TransactionUserEvent =
  /** A new request (not CANCEL, not ACK): answer it with `transaction.respond(...)`. */
  | { readonly type: 'request'; readonly request: SipRequest; readonly source: Source; readonly transaction: ServerTransaction }
  /**
   * RFC 3261 §9.2: a CANCEL, with the INVITE server transaction it targets
   * (undefined when none matches: answer 481). The TU answers the CANCEL on
   * `transaction` and, when the INVITE is still unanswered, 487s the INVITE.
   */
  | {
      readonly type: 'cancel';
      readonly request: SipRequest;
      readonly source: Source;
      readonly transaction: NonInviteServerTransaction;
      readonly inviteTransaction: InviteServerTransaction | undefined;
    }
  /**
   * An ACK that is not part of a non-2xx INVITE transaction: the ACK for a
   * 2xx (RFC 3261 §13.3.1.4), for the dialog layer. `inviteTransaction` is
   * set when it matched an INVITE server transaction in Accepted (RFC 6026).
   */
  | {
      readonly type: 'ack';
      readonly request: SipRequest;
      readonly source: Source;
      readonly inviteTransaction: InviteServerTransaction | undefined;
    }
  /** A response no client transaction matches (RFC 3261 §17.1.3): 2xx retransmissions after Timer M, for dialogs. */
  | { readonly type: 'stray-response'; readonly response: SipResponse; readonly source: Source }
  /** RFC 3261 §17.2.1: Timer H fired, the ACK for a non-2xx final response never came. */
  | { readonly type: 'server-timeout'; readonly transaction: InviteServerTransaction }
  /** RFC 6026 §8.8: a response could not be delivered; the transaction stays in its state. */
  | { readonly type: 'server-transport-error'; readonly transaction: ServerTransaction; readonly error: TransportError };

export interface TransactionLayerOptions {
  readonly transport: TransactionTransport;
  readonly clock: Clock;
  /** T1/T2/T4 overrides (RFC 3261 §17.1.1.1 allows a larger T1, e.g. on slow links). */
  readonly timers?: Partial<TimerConfig>;
  /** Category `sip.transaction` recommended; transactions log under `.ict`, `.nict`, `.ist`, `.nist`. */
  readonly logger?: Logger;
  readonly onEvent: (event: TransactionUserEvent) => void;
}

export class TransactionLayer {
  private readonly clientTransactions = new Map<string, ClientTransaction>();
  private readonly serverTransactions = new Map<string, ServerTransaction>();
  /** RFC 3261 §8.2.2.2: From tag + Call-ID + CSeq of live server transactions. */
  private readonly mergedIndex = new Map<string, ServerTransaction>();
  private readonly mergeKeyOf = new Map<ServerTransaction, string>();
  private readonly transport: TransactionTransport;
  private readonly clock: Clock;
  private readonly timerConfig: TimerConfig;
  private readonly logger: Logger;
  private readonly onEvent: (event: TransactionUserEvent) => void;

  constructor(options: TransactionLayerOptions) {
    this.transport = options.transport;
    this.clock = options.clock;
    this.timerConfig = createTimerConfig(options.timers);
    this.logger = options.logger ?? silentLogger;
    this.onEvent = options.onEvent;
  }

  get clientTransactionCount(): number {
    return this.clientTransactions.size;
  }

  get serverTransactionCount(): number {
    return this.serverTransactions.size;
  }

  /**
   * Starts a client transaction for `request` (RFC 3261 §17.1). The request
   * is sent as it is: the TU has already added the top Via with a magic-cookie
   * branch (see `addTopVia`). Throws on an ACK (use `sendAck`), on a missing
   * or RFC 2543 branch, and on a branch + method already in use.
   */
  sendRequest(request: SipRequest, destination: Destination, handlers: ClientTransactionHandlers): ClientTransaction {
    if (request.method === 'ACK') {
      throw new TypeError('an ACK is not sent in a client transaction: use sendAck (RFC 3261 §17.1.1.3)');
    }
    const branch = topBranch(request);
    if (!isRfc3261Branch(branch)) {
      throw new TypeError('the top Via needs a branch starting with z9hG4bK (RFC 3261 §8.1.1.7): see addTopVia');
    }
    const key = clientKeyOfRequest(request) as string;
    if (this.clientTransactions.has(key)) throw new Error(`a client transaction ${key} already exists`);
    const onTerminated = (): void => this.dropClient(key, transaction);
    const common = {
      id: key,
      request,
      destination,
      transport: this.transport,
      clock: this.clock,
      timerConfig: this.timerConfig,
      onEvent: handlers.onEvent,
      onTerminated,
    };
    const transaction: ClientTransaction =
      request.method === 'INVITE'
        ? new InviteClientTransaction({ ...common, logger: this.logger.child('ict') })
        : new NonInviteClientTransaction({ ...common, logger: this.logger.child('nict') });
    this.clientTransactions.set(key, transaction);
    return transaction;
  }

  /**
   * RFC 3261 §13.2.2.4 / §17.1.1.3: the ACK for a 2xx is its own
   * transaction-less request, sent (and resent for each 2xx retransmission)
   * by the TU.
   */
  sendAck(ack: SipRequest, destination: Destination): Promise<DeliveryOutcome> {
    if (ack.method !== 'ACK') throw new TypeError(`sendAck takes an ACK, not ${ack.method}`);
    return deliverMessage(this.transport, ack, destination);
  }

  /** Called by the transport layer for every message it received and parsed. */
  receive(incoming: IncomingMessage): void {
    try {
      if (incoming.message.kind === 'response') this.receiveResponse(incoming.message, incoming.source);
      else this.receiveRequest(incoming.message, incoming.source);
    } catch (error: unknown) {
      if (!(error instanceof SipSyntaxError)) throw error;
      this.logger.warn('message without the headers transaction matching needs: dropped', {
        error: error.message,
        from: `${incoming.source.address}:${incoming.source.port}`,
      });
    }
  }

  /** Terminates every transaction without telling anyone (stack shutdown). */
  dispose(): void {
    for (const transaction of [...this.clientTransactions.values()]) transaction.dispose();
    for (const transaction of [...this.serverTransactions.values()]) transaction.dispose();
    this.clientTransactions.clear();
    this.serverTransactions.clear();
    this.mergedIndex.clear();
    this.mergeKeyOf.clear();
  }

  private receiveResponse(response: SipResponse, source: Source): void {
    // RFC 3261 §17.1.3: a response matches a client transaction by the
    // branch of its top Via and the method of its CSeq.
    const key = clientKeyOfResponse(response);
    const transaction = key === undefined ? undefined : this.clientTransactions.get(key);
    if (transaction) {
      transaction.receiveResponse(response);
      return;
    }
    // RFC 6026 §7.2 / RFC 3261 §17.1.3: a response matching no transaction
    // goes to the core (for a 2xx, the dialog layer may still need it).
    this.logger.debug('stray response', { status: response.status, key });
    this.notify({ type: 'stray-response', response, source });
  }

  private receiveRequest(request: SipRequest, source: Source): void {
    const key = serverKey(request);
    const existing = this.matchServerTransaction(key, request);

    if (request.method === 'ACK') {
      // RFC 3261 §17.2.3: an ACK for a non-2xx matches the INVITE server
      // transaction ("except for ACK, where the method of the request that
      // created the transaction is INVITE").
      if (existing instanceof InviteServerTransaction) {
        existing.receiveRequest(request, source);
        return;
      }
      // RFC 3261 §17.2.3 / §13.3.1.4: an ACK for a 2xx has its own branch
      // and matches no transaction: it goes to the TU (the dialog).
      this.notify({ type: 'ack', request, source, inviteTransaction: undefined });
      return;
    }

    if (existing) {
      // RFC 3261 §17.2.3: a retransmission is matched to its transaction,
      // which absorbs it or resends its last response.
      this.logger.trace('request retransmission', { method: request.method, key });
      existing.receiveRequest(request, source);
      return;
    }

    // RFC 3261 §8.2.2.2: If the request has no tag in the To header field,
    // the UAS core MUST check the request against ongoing transactions.  If
    // the From tag, Call-ID, and CSeq exactly match those associated with an
    // ongoing transaction, but the request does not match that transaction
    // (based on the matching rules in Section 17.2.3), the UAS core SHOULD
    // generate a 482 (Loop Detected) response and pass it to the server
    // transaction.
    const mergeKey = mergedRequestKey(request);
    const merged = toTag(request) === undefined ? this.mergedIndex.get(mergeKey) : undefined;
    const transaction = this.createServerTransaction(key, request, source, merged === undefined);
    if (merged !== undefined) {
      this.logger.info('merged request: 482 Loop Detected', { method: request.method, key });
      transaction.respond(createResponse(request, 482, 'Loop Detected'));
      return;
    }
    this.mergedIndex.set(mergeKey, transaction);
    this.mergeKeyOf.set(transaction, mergeKey);

    if (transaction instanceof InviteServerTransaction) {
      this.notify({ type: 'request', request, source, transaction });
    } else if (request.method === 'CANCEL') {
      // RFC 3261 §9.2: the CANCEL is matched to the INVITE it cancels with
      // the §17.2.3 rules, as if its method were INVITE.
      const target = this.matchServerTransaction(serverKey(request, { asMethod: 'INVITE' }), request);
      const inviteTransaction = target instanceof InviteServerTransaction ? target : undefined;
      this.notify({ type: 'cancel', request, source, transaction, inviteTransaction });
    } else {
      this.notify({ type: 'request', request, source, transaction });
    }
  }

  /**
   * RFC 3261 §17.2.3. Branch keys match outright; RFC 2543 keys also compare
   * the To tag: an ACK's with the tag of the response the transaction sent,
   * any other request's with the tag of the request that created it.
   */
  private matchServerTransaction(key: string, request: SipRequest): ServerTransaction | undefined {
    const transaction = this.serverTransactions.get(key);
    if (!transaction || key.startsWith('3261|')) return transaction;
    const sent = request.method === 'ACK' ? transaction.finalResponse : transaction.request;
    if (sent === undefined) return undefined;
    return toTag(sent) === toTag(request) ? transaction : undefined;
  }

  private createServerTransaction(key: string, request: SipRequest, source: Source, forTu: boolean): ServerTransaction {
    // RFC 3261 §18.2.2 / RFC 3581 §4, computed by the transport layer's rule.
    const destination = responseDestination(request, source);
    const onEvent = (event: ServerTransactionEvent): void => {
      if (forTu) this.onServerEvent(transaction, event);
      else this.logger.debug('event on a 482 transaction', { key, event: event.type });
    };
    const common = {
      id: key,
      request,
      source,
      responseDestination: destination,
      transport: this.transport,
      clock: this.clock,
      timerConfig: this.timerConfig,
      onEvent,
      onTerminated: (): void => this.dropServer(key, transaction),
    };
    const transaction: ServerTransaction =
      request.method === 'INVITE'
        ? new InviteServerTransaction({ ...common, logger: this.logger.child('ist') })
        : new NonInviteServerTransaction({ ...common, logger: this.logger.child('nist') });
    this.serverTransactions.set(key, transaction);
    return transaction;
  }

  private onServerEvent(transaction: ServerTransaction, event: ServerTransactionEvent): void {
    switch (event.type) {
      case 'ack':
        if (transaction instanceof InviteServerTransaction) {
          this.notify({ type: 'ack', request: event.request, source: event.source, inviteTransaction: transaction });
        }
        return;
      case 'timeout':
        if (transaction instanceof InviteServerTransaction) this.notify({ type: 'server-timeout', transaction });
        return;
      case 'transport-error':
        this.notify({ type: 'server-transport-error', transaction, error: event.error });
        return;
      default:
        return;
    }
  }

  private dropClient(key: string, transaction: ClientTransaction): void {
    if (this.clientTransactions.get(key) === transaction) this.clientTransactions.delete(key);
  }

  private dropServer(key: string, transaction: ServerTransaction): void {
    if (this.serverTransactions.get(key) === transaction) this.serverTransactions.delete(key);
    const mergeKey = this.mergeKeyOf.get(transaction);
    if (mergeKey === undefined) return;
    this.mergeKeyOf.delete(transaction);
    if (this.mergedIndex.get(mergeKey) === transaction) this.mergedIndex.delete(mergeKey);
  }

  private notify(event: TransactionUserEvent): void {
    try {
      this.onEvent(event);
    } catch (error: unknown) {
      this.logger.error('transaction user threw', { event: event.type, error });
    }
  }
}
