/**
 * Non-INVITE client transaction, RFC 3261 §17.1.2.
 *
 * RFC 3261 Figure 6:
 *
 * ```
 *                                    |Request from TU
 *                                    |send request
 *                Timer E             V
 *                send request  +-----------+
 *                    +---------|           |-------------------+
 *                    |         |  Trying   |  Timer F          |
 *                    +-------->|           |  or Transport Err.|
 *                              +-----------+  inform TU        |
 *                 200-699         |  |                         |
 *                 resp. to TU     |  |1xx                      |
 *                 +---------------+  |resp. to TU              |
 *                 |                  |                         |
 *                 |   Timer E        V       Timer F           |
 *                 |   send req +-----------+ or Transport Err. |
 *                 |  +---------|           | inform TU         |
 *                 |  |         |Proceeding |------------------>|
 *                 |  +-------->|           |-----+             |
 *                 |            +-----------+     |1xx          |
 *                 |              |      ^        |resp to TU   |
 *                 | 200-699      |      +--------+             |
 *                 | resp. to TU  |                             |
 *                 |              |                             |
 *                 |              V                             |
 *                 |            +-----------+                   |
 *                 |            |           |                   |
 *                 |            | Completed |                   |
 *                 |            |           |                   |
 *                 |            +-----------+                   |
 *                 |              ^   |                         |
 *                 |              |   | Timer K                 |
 *                 +--------------+   | -                       |
 *                                    |                         |
 *                                    V                         |
 *              NOTE:           +-----------+                   |
 *                              |           |                   |
 *          transitions         | Terminated|<------------------+
 *          labeled with        |           |
 *          the event           +-----------+
 *          over the action
 *          to take
 * ```
 *
 * Timers: E (request retransmission, unreliable only, doubling up to T2),
 * F (transaction timeout, 64*T1), K (linger in Completed: T4 unreliable, 0 reliable).
 */
import { silentLogger, type Logger } from '../../log/logger.ts';
import type { SipRequest, SipResponse } from '../message/types.ts';
import { isReliable, type Destination, type TransportError } from '../transport/types.ts';
import { deliverMessage, type DeliveryOutcome } from './deliver-message.ts';
import { DEFAULT_TIMER_CONFIG, transactionTimerValues, type TimerConfig } from './timer-config.ts';
import { TimerSet } from './timer-set.ts';
import { TransactionState } from './transaction-state.ts';
import type { ClientTransactionEvent, ClientTransactionOptions, TransactionTransport } from './types.ts';

type NictTimer = 'E' | 'F' | 'K';

export class NonInviteClientTransaction {
  readonly kind = 'nict' as const;
  readonly id: string;
  readonly request: SipRequest;
  readonly destination: Destination;

  private currentState = TransactionState.Trying;
  private reliable: boolean;
  private retransmitIntervalMs = 0;
  private readonly transport: TransactionTransport;
  private readonly timerConfig: TimerConfig;
  private readonly timers: TimerSet<NictTimer>;
  private readonly logger: Logger;
  private readonly onEvent: (event: ClientTransactionEvent) => void;
  private readonly onTerminated: (() => void) | undefined;

  constructor(options: ClientTransactionOptions) {
    if (options.request.method === 'INVITE' || options.request.method === 'ACK') {
      throw new TypeError(`a non-INVITE client transaction cannot carry ${options.request.method}`);
    }
    this.id = options.id;
    this.request = options.request;
    this.destination = options.destination;
    this.transport = options.transport;
    this.timerConfig = options.timerConfig ?? DEFAULT_TIMER_CONFIG;
    this.timers = new TimerSet<NictTimer>(options.clock);
    this.logger = options.logger ?? silentLogger;
    this.onEvent = options.onEvent;
    this.onTerminated = options.onTerminated;
    this.reliable = isReliable(options.destination.protocol);

    // RFC 3261 §17.1.2.2: The "Trying" state is entered when the TU initiates
    // a new client transaction with a request.  When entering this state, the
    // client transaction SHOULD set timer F to fire in 64*T1 seconds.  The
    // request MUST be passed to the transport layer for transmission.  If an
    // unreliable transport is in use, the client transaction MUST set timer E
    // to fire in T1 seconds.
    const values = this.timerValues();
    this.logger.debug('transaction created', { id: this.id, method: this.request.method, reliable: this.reliable });
    this.transmit(true);
    this.timers.start('F', values.timerFMs, () => this.onTimerF());
    if (!this.reliable) {
      this.retransmitIntervalMs = values.timerEMs;
      this.timers.start('E', this.retransmitIntervalMs, () => this.onTimerE());
    }
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
      case TransactionState.Trying:
        // RFC 3261 §17.1.2.2: If a provisional response is received while in
        // the "Trying" state, the response MUST be passed to the TU, and then
        // the client transaction SHOULD move to the "Proceeding" state.
        if (status < 200) {
          this.stateTransition(TransactionState.Proceeding);
          this.notify({ type: 'response', response });
          return;
        }
        // RFC 3261 §17.1.2.2: If a final response (status codes 200-699) is
        // received while in the "Trying" state, the response MUST be passed to
        // the TU, and the client transaction MUST transition to the
        // "Completed" state.
        this.complete(response);
        return;
      case TransactionState.Proceeding:
        // RFC 3261 §17.1.2.2: If a provisional response is received while in
        // the "Proceeding" state, it MUST be passed to the TU.
        if (status < 200) {
          this.notify({ type: 'response', response });
          return;
        }
        // RFC 3261 §17.1.2.2: If a final response (status codes 200-699) is
        // received while in the "Proceeding" state, the response MUST be
        // passed to the TU, and the client transaction MUST transition to the
        // "Completed" state.
        this.complete(response);
        return;
      case TransactionState.Completed:
        // RFC 3261 §17.1.2.2: The "Completed" state exists to buffer any
        // additional response retransmissions that may be received.
        this.logger.trace('response retransmission absorbed', { id: this.id, status });
        return;
      default:
        this.logger.debug('response after termination discarded', { id: this.id, status });
    }
  }

  /** Stops every timer and terminates without telling the TU (stack shutdown). */
  dispose(): void {
    if (this.currentState !== TransactionState.Terminated) this.stateTransition(TransactionState.Terminated);
  }

  private complete(response: SipResponse): void {
    this.stateTransition(TransactionState.Completed);
    this.notify({ type: 'response', response });
    if (this.currentState !== TransactionState.Completed) return; // the TU disposed of us
    // RFC 3261 §17.1.2.2: Once the client transaction enters the "Completed"
    // state, it MUST set Timer K to fire in T4 seconds for unreliable
    // transports, and zero seconds for reliable transports.
    this.timers.startOrRunNow('K', this.timerValues().timerKMs, () => this.onTimerK());
  }

  private onTimerE(): void {
    // RFC 3261 §17.1.2.2: If timer E fires while still in this ("Trying")
    // state, the timer is reset, but this time with a value of MIN(2*T1, T2).
    // When the timer fires again, it is reset to a MIN(4*T1, T2).
    //
    // RFC 3261 §17.1.2.2: If Timer E fires while in the "Proceeding" state,
    // the request MUST be passed to the transport layer for retransmission,
    // and Timer E MUST be reset with a value of T2 seconds.
    const t2Ms = this.timerValues().t2Ms;
    if (this.currentState === TransactionState.Trying) {
      this.retransmitIntervalMs = Math.min(2 * this.retransmitIntervalMs, t2Ms);
    } else if (this.currentState === TransactionState.Proceeding) {
      this.retransmitIntervalMs = t2Ms;
    } else {
      return;
    }
    this.logger.debug('Timer E fired: retransmitting request', { id: this.id, nextInMs: this.retransmitIntervalMs });
    this.transmit(false);
    this.timers.start('E', this.retransmitIntervalMs, () => this.onTimerE());
  }

  private onTimerF(): void {
    // RFC 3261 §17.1.2.2: If Timer F fires while the client transaction is
    // still in the "Trying" state, the client transaction SHOULD inform the
    // TU about the timeout, and then it SHOULD enter the "Terminated" state.
    // If timer F fires while in the "Proceeding" state, the TU MUST be
    // informed of a timeout, and the client transaction MUST transition to
    // the terminated state.
    if (this.currentState !== TransactionState.Trying && this.currentState !== TransactionState.Proceeding) return;
    this.logger.info('Timer F fired: transaction timed out', { id: this.id, method: this.request.method });
    this.stateTransition(TransactionState.Terminated);
    this.notify({ type: 'timeout', timer: 'F', equivalentStatus: 408 });
  }

  private onTimerK(): void {
    // RFC 3261 §17.1.2.2: If Timer K fires while in this state, the client
    // transaction MUST transition to the "Terminated" state.
    if (this.currentState === TransactionState.Completed) this.stateTransition(TransactionState.Terminated);
  }

  private transmit(first: boolean): void {
    void deliverMessage(this.transport, this.request, this.destination).then((outcome) => this.onDelivery(outcome, first));
  }

  private onDelivery(outcome: DeliveryOutcome, first: boolean): void {
    if (outcome.ok) {
      // RFC 3261 §18.1.1: the transport may have sent a large request over
      // TCP instead of UDP; retransmissions then stop, as on any reliable
      // transport.
      if (first && !this.reliable && isReliable(outcome.result.protocol)) {
        this.logger.debug('transport switched to a reliable protocol: Timer E stopped', { id: this.id });
        this.reliable = true;
        this.timers.stop('E');
      }
      return;
    }
    this.onTransportError(outcome.error);
  }

  private onTransportError(error: TransportError): void {
    // RFC 3261 §17.1.4: In this case, the client transaction SHOULD inform the
    // TU that a transport failure has occurred, and the client transaction
    // SHOULD transition directly to the "Terminated" state.
    if (this.currentState !== TransactionState.Trying && this.currentState !== TransactionState.Proceeding) {
      this.logger.debug('late transport error ignored', { id: this.id, state: this.currentState, error: error.message });
      return;
    }
    this.logger.warn('transport error', { id: this.id, error: error.message });
    this.stateTransition(TransactionState.Terminated);
    this.notify({ type: 'transport-error', error, equivalentStatus: 503 });
  }

  /**
   * TU callbacks run after the state change: where the RFC says "inform the
   * TU, then move to Terminated", the TU is told from the Terminated state,
   * so it can start a new transaction (or dispose) without a re-entrant
   * transition here.
   */
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

  /** The single place the state changes; throws on a move Figure 6 does not have. */
  private stateTransition(newState: TransactionState): void {
    const from = this.currentState;
    const legal =
      (newState === TransactionState.Proceeding && from === TransactionState.Trying) ||
      (newState === TransactionState.Completed &&
        (from === TransactionState.Trying || from === TransactionState.Proceeding)) ||
      (newState === TransactionState.Terminated && from !== TransactionState.Terminated);
    if (!legal) throw new Error(`NICT ${this.id}: invalid state transition from ${from} to ${newState}`);

    // RFC 3261 §17.1.2.2: leaving Trying/Proceeding for Completed ends the
    // request retransmissions (Timer E) and the timeout (Timer F).
    if (newState === TransactionState.Completed) {
      this.timers.stop('E');
      this.timers.stop('F');
    }
    this.currentState = newState;
    this.logger.debug('state', { id: this.id, from, to: newState });

    // RFC 3261 §17.1.2.2: Once the transaction is in the "Terminated" state,
    // it MUST be destroyed immediately.
    if (newState === TransactionState.Terminated) {
      this.timers.stopAll();
      this.onTerminated?.();
    }
  }
}
