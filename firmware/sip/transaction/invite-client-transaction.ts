/**
 * INVITE client transaction, RFC 3261 §17.1.1, with the "Accepted" state of
 * RFC 6026 §7.2 (a 2xx no longer terminates the transaction at once: it
 * stays for Timer M to hand 2xx retransmissions from other forks to the TU).
 *
 * RFC 3261 Figure 5 as updated by RFC 6026 Figure 5:
 *
 * ```
 *                                    |INVITE from TU
 *                  Timer A fires     |INVITE sent      Timer B fires
 *                  Reset A,          V                 or Transport Err.
 *                  INVITE sent +-----------+           inform TU
 *                    +---------|           |--------------------------+
 *                    |         |  Calling  |                          |
 *                    +-------->|           |-----------+              |
 *   300-699                    +-----------+ 2xx       |              |
 *   ACK sent                      |  |       2xx to TU |              |
 *   resp. to TU                   |  |1xx              |              |
 *   +-----------------------------+  |1xx to TU        |              |
 *   |                                |                 |              |
 *   |                1xx             V                 |              |
 *   |                1xx to TU +-----------+           |              |
 *   |                +---------|           |           |              |
 *   |                |         |Proceeding |           |              |
 *   |                +-------->|           |           |              |
 *   |                          +-----------+ 2xx       |              |
 *   |         300-699             |    |     2xx to TU |              |
 *   |         ACK sent,  +--------+    +-------------->|              |
 *   |         resp. to TU|                             |              |
 *   |                    |                             |              |
 *   |                    V                             V              |
 *   |              +-----------+                 +----------+         |
 *   +------------->|           |                 |          |         |
 *                  | Completed |                 | Accepted |         |
 *                  |           |                 |          |         |
 *                  +-----------+                 +----------+         |
 *                  ^   |    |                      |  ^   |           |
 *                  |   |    |                      |  |   |           |
 *                  +---+    | Timer D fires        +--+   | Timer M   |
 *                300-699    | -                   2xx     | fires     |
 *                ACK sent   | or Transport Err.   2xx to  | -         |
 *                           | inform TU           TU      |           |
 *                           V                             V           |
 *                     +-----------------------------------------+     |
 *                     |               Terminated                |<----+
 *                     +-----------------------------------------+
 * ```
 *
 * Timers: A (INVITE retransmission, unreliable only, doubling without cap),
 * B (timeout in Calling, 64*T1), D (linger in Completed: >= 32 s unreliable,
 * 0 reliable), M (linger in Accepted, 64*T1).
 */
import { silentLogger, type Logger } from '../../log/logger.ts';
import type { SipRequest, SipResponse } from '../message/types.ts';
import { isReliable, type Destination, type TransportError } from '../transport/types.ts';
import { deliverMessage, type DeliveryOutcome } from './deliver-message.ts';
import { buildNon2xxAck } from './non-2xx-ack.ts';
import { DEFAULT_TIMER_CONFIG, transactionTimerValues, type TimerConfig } from './timer-config.ts';
import { TimerSet } from './timer-set.ts';
import { TransactionState } from './transaction-state.ts';
import type { ClientTransactionEvent, ClientTransactionOptions, TransactionTransport } from './types.ts';

type IctTimer = 'A' | 'B' | 'D' | 'M';

export class InviteClientTransaction {
  readonly kind = 'ict' as const;
  readonly id: string;
  readonly request: SipRequest;
  readonly destination: Destination;

  private currentState = TransactionState.Calling;
  private reliable: boolean;
  private retransmitIntervalMs = 0;
  /** The ACK for the first non-2xx final response, resent for each retransmission of it. */
  private ack: SipRequest | undefined;
  private readonly transport: TransactionTransport;
  private readonly timerConfig: TimerConfig;
  private readonly timers: TimerSet<IctTimer>;
  private readonly logger: Logger;
  private readonly onEvent: (event: ClientTransactionEvent) => void;
  private readonly onTerminated: (() => void) | undefined;

  constructor(options: ClientTransactionOptions) {
    if (options.request.method !== 'INVITE') {
      throw new TypeError(`an INVITE client transaction cannot carry ${options.request.method}`);
    }
    this.id = options.id;
    this.request = options.request;
    this.destination = options.destination;
    this.transport = options.transport;
    this.timerConfig = options.timerConfig ?? DEFAULT_TIMER_CONFIG;
    this.timers = new TimerSet<IctTimer>(options.clock);
    this.logger = options.logger ?? silentLogger;
    this.onEvent = options.onEvent;
    this.onTerminated = options.onTerminated;
    this.reliable = isReliable(options.destination.protocol);

    // RFC 3261 §17.1.1.2: The initial state, "calling", MUST be entered when
    // the TU initiates a new client transaction with an INVITE request.  The
    // client transaction MUST pass the request to the transport layer for
    // transmission.  If an unreliable transport is being used, the client
    // transaction MUST start timer A with a value of T1.  For any transport,
    // the client transaction MUST start timer B with a value of 64*T1 seconds.
    const values = this.timerValues();
    this.logger.debug('transaction created', { id: this.id, reliable: this.reliable });
    this.transmit(this.request, true);
    if (!this.reliable) {
      this.retransmitIntervalMs = values.timerAMs;
      this.timers.start('A', this.retransmitIntervalMs, () => this.onTimerA());
    }
    this.timers.start('B', values.timerBMs, () => this.onTimerB());
  }

  get state(): TransactionState {
    return this.currentState;
  }

  /** A response the transaction layer matched to this transaction (RFC 3261 §17.1.3). */
  receiveResponse(response: SipResponse): void {
    const status = response.status;
    if (status < 100 || status > 699) {
      this.logger.warn('response with invalid status discarded', { id: this.id, status });
      return;
    }
    switch (this.currentState) {
      case TransactionState.Calling:
      case TransactionState.Proceeding:
        if (status < 200) {
          // RFC 3261 §17.1.1.2: If the client transaction receives a
          // provisional response while in the "Calling" state, it transitions
          // to the "Proceeding" state.  In the "Proceeding" state, the client
          // transaction SHOULD NOT retransmit the request any longer.
          // Furthermore, the provisional response MUST be passed to the TU.
          // Any further provisional responses MUST be passed up to the TU
          // while in the "Proceeding" state.
          if (this.currentState === TransactionState.Calling) this.stateTransition(TransactionState.Proceeding);
          this.notify({ type: 'response', response });
          return;
        }
        if (status < 300) {
          // RFC 6026 §8.4: If, while in the "Calling" or "Proceeding" state, a
          // 2xx response is received, the client transaction MUST transition
          // to the "Accepted" state, and Timer M MUST be started with a value
          // of 64*T1.  The 2xx response MUST be passed up to the TU.
          this.stateTransition(TransactionState.Accepted);
          this.notify({ type: 'response', response });
          return;
        }
        // RFC 3261 §17.1.1.2: When in either the "Calling" or "Proceeding"
        // states, reception of a response with status code from 300-699 MUST
        // cause the client transaction to transition to "Completed".  The
        // client transaction MUST pass the received response up to the TU, and
        // the client transaction MUST generate an ACK request, even if the
        // transport is reliable (guidelines for constructing the ACK from the
        // response are given in Section 17.1.1.3), and then pass the ACK to
        // the transport layer for transmission.  The ACK MUST be sent to the
        // same address, port, and transport to which the original request was
        // sent.
        this.ack = buildNon2xxAck(this.request, response);
        this.stateTransition(TransactionState.Completed);
        this.transmit(this.ack, false);
        this.notify({ type: 'response', response });
        if (this.state !== TransactionState.Completed) return; // the TU disposed of us
        // RFC 3261 §17.1.1.2: The client transaction SHOULD start timer D
        // when it enters the "Completed" state, with a value of at least 32
        // seconds for unreliable transports, and a value of zero seconds for
        // reliable transports.
        this.timers.startOrRunNow('D', this.timerValues().timerDMs, () => this.onTimerD());
        return;
      case TransactionState.Completed:
        // RFC 3261 §17.1.1.2: Any retransmissions of the final response that
        // are received while in the "Completed" state MUST cause the ACK to
        // be re-passed to the transport layer for retransmission, but the
        // newly received response MUST NOT be passed up to the TU.
        if (status >= 300 && this.ack) {
          this.logger.trace('final response retransmission: ACK resent', { id: this.id, status });
          this.transmit(this.ack, false);
        }
        return;
      case TransactionState.Accepted:
        // RFC 6026 §8.4: Any 2xx responses that match this client transaction
        // and that are received while in the "Accepted" state MUST be passed
        // up to the TU.  The client transaction MUST NOT generate an ACK to
        // the 2xx response -- its handling is delegated to the TU.
        if (status >= 200 && status < 300) {
          this.notify({ type: 'response', response });
          return;
        }
        this.logger.debug('non-2xx response in Accepted discarded', { id: this.id, status });
        return;
      default:
        this.logger.debug('response after termination discarded', { id: this.id, status });
    }
  }

  /** Stops every timer and terminates without telling the TU (stack shutdown). */
  dispose(): void {
    if (this.currentState !== TransactionState.Terminated) this.stateTransition(TransactionState.Terminated);
  }

  private onTimerA(): void {
    // RFC 3261 §17.1.1.2: When timer A fires, the client transaction MUST
    // retransmit the request by passing it to the transport layer, and MUST
    // reset the timer with a value of 2*T1.  [...] When timer A fires 2*T1
    // seconds later, the request MUST be retransmitted again (assuming the
    // client transaction is still in this state).  This process MUST continue
    // so that the request is retransmitted with intervals that double after
    // each transmission.
    if (this.currentState !== TransactionState.Calling) return;
    this.retransmitIntervalMs *= 2;
    this.logger.debug('Timer A fired: retransmitting INVITE', { id: this.id, nextInMs: this.retransmitIntervalMs });
    this.transmit(this.request, false);
    this.timers.start('A', this.retransmitIntervalMs, () => this.onTimerA());
  }

  private onTimerB(): void {
    // RFC 3261 §17.1.1.2: If the client transaction is still in the "Calling"
    // state when timer B fires, the client transaction SHOULD inform the TU
    // that a timeout has occurred.  The client transaction MUST NOT generate
    // an ACK.
    if (this.currentState !== TransactionState.Calling) return;
    this.logger.info('Timer B fired: INVITE timed out', { id: this.id });
    this.stateTransition(TransactionState.Terminated);
    this.notify({ type: 'timeout', timer: 'B', equivalentStatus: 408 });
  }

  private onTimerD(): void {
    // RFC 3261 §17.1.1.2: If timer D fires while the client transaction is in
    // the "Completed" state, the client transaction MUST move to the
    // terminated state.
    if (this.currentState === TransactionState.Completed) this.stateTransition(TransactionState.Terminated);
  }

  private onTimerM(): void {
    // RFC 6026 §8.4: If Timer M fires while the client transaction is in the
    // "Accepted" state, the client transaction MUST move to the "Terminated"
    // state.
    if (this.currentState === TransactionState.Accepted) this.stateTransition(TransactionState.Terminated);
  }

  private transmit(message: SipRequest, first: boolean): void {
    void deliverMessage(this.transport, message, this.destination).then((outcome) => this.onDelivery(outcome, first));
  }

  private onDelivery(outcome: DeliveryOutcome, first: boolean): void {
    if (outcome.ok) {
      // RFC 3261 §18.1.1: a request too large for UDP goes over TCP; a
      // reliable transport means no Timer A retransmissions.
      if (first && !this.reliable && isReliable(outcome.result.protocol)) {
        this.logger.debug('transport switched to a reliable protocol: Timer A stopped', { id: this.id });
        this.reliable = true;
        this.timers.stop('A');
      }
      return;
    }
    this.onTransportError(outcome.error);
  }

  private onTransportError(error: TransportError): void {
    // RFC 3261 §17.1.4: In this case, the client transaction SHOULD inform the
    // TU that a transport failure has occurred, and the client transaction
    // SHOULD transition directly to the "Terminated" state.  (Figure 5: from
    // "Calling" for the INVITE, from "Completed" for the ACK.)  In
    // "Proceeding" and "Accepted" the server has answered, so a late failure
    // of an INVITE retransmission changes nothing.
    if (this.currentState !== TransactionState.Calling && this.currentState !== TransactionState.Completed) {
      this.logger.debug('late transport error ignored', { id: this.id, state: this.currentState, error: error.message });
      return;
    }
    this.logger.warn('transport error', { id: this.id, state: this.currentState, error: error.message });
    this.stateTransition(TransactionState.Terminated);
    this.notify({ type: 'transport-error', error, equivalentStatus: 503 });
  }

  /** TU callbacks run after the state change, so a TU sees (and may act on) the new state. */
  private notify(event: ClientTransactionEvent): void {
    try {
      this.onEvent(event);
    } catch (error: unknown) {
      this.logger.error('transaction user threw', { id: this.id, event: event.type, error });
    }
  }

  private timerValues(): ReturnType<typeof transactionTimerValues> {
    return transactionTimerValues(this.timerConfig, this.reliable);
  }

  /** The single place the state changes; throws on a move Figure 5 does not have. */
  private stateTransition(newState: TransactionState): void {
    const from = this.currentState;
    const fromCallingOrProceeding = from === TransactionState.Calling || from === TransactionState.Proceeding;
    const legal =
      (newState === TransactionState.Proceeding && from === TransactionState.Calling) ||
      (newState === TransactionState.Completed && fromCallingOrProceeding) ||
      (newState === TransactionState.Accepted && fromCallingOrProceeding) ||
      (newState === TransactionState.Terminated && from !== TransactionState.Terminated);
    if (!legal) throw new Error(`ICT ${this.id}: invalid state transition from ${from} to ${newState}`);

    // RFC 3261 §17.1.1.2: In the "Proceeding" state, the client transaction
    // SHOULD NOT retransmit the request any longer.  Timer B only matters in
    // "Calling".
    if (from === TransactionState.Calling) {
      this.timers.stop('A');
      this.timers.stop('B');
    }
    this.currentState = newState;
    this.logger.debug('state', { id: this.id, from, to: newState });

    if (newState === TransactionState.Accepted) {
      // RFC 6026 §8.4: Timer M MUST be started with a value of 64*T1.
      this.timers.start('M', this.timerValues().timerMMs, () => this.onTimerM());
    }
    // RFC 3261 §17.1.1.2: The client transaction MUST be destroyed the
    // instant it enters the "Terminated" state.
    if (newState === TransactionState.Terminated) {
      this.timers.stopAll();
      this.onTerminated?.();
    }
  }
}
