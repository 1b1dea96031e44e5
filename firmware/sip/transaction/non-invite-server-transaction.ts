/**
 * Non-INVITE server transaction, RFC 3261 §17.2.2.
 *
 * RFC 3261 Figure 8:
 *
 * ```
 *                                   |Request received
 *                                   |pass to TU
 *                                   V
 *                             +-----------+
 *                             |           |
 *                             | Trying    |-------------+
 *                             |           |             |
 *                             +-----------+             |200-699 from TU
 *                                   |                   |send response
 *                                   |1xx from TU        |
 *                                   |send response      |
 *                                   |                   |
 *                Request            V      1xx from TU  |
 *                send response+-----------+send response|
 *                    +--------|           |--------+    |
 *                    |        | Proceeding|        |    |
 *                    +------->|           |<-------+    |
 *             +<--------------|           |             |
 *             |Trnsprt Err    +-----------+             |
 *             |Inform TU            |                   |
 *             |                     |                   |
 *             |                     |200-699 from TU    |
 *             |                     |send response      |
 *             |  Request            V                   |
 *             |  send response+-----------+             |
 *             |      +--------|           |             |
 *             |      |        | Completed |<------------+
 *             |      +------->|           |
 *             +<--------------|           |
 *             |Trnsprt Err    +-----------+
 *             |Inform TU            |
 *             |                     |Timer J fires
 *             |                     |-
 *             |                     |
 *             |                     V
 *             |               +-----------+
 *             |               |           |
 *             +-------------->| Terminated|
 *                             |           |
 *                             +-----------+
 * ```
 *
 * Transport errors: RFC 6026 §8.8 replaced the "Trnsprt Err" arcs above: the
 * TU is informed and the transaction stays in its state (Timer J still ends it).
 *
 * Timer: J (linger in Completed: 64*T1 unreliable, 0 reliable).
 */
import { silentLogger, type Logger } from '../../log/logger.ts';
import type { SipRequest, SipResponse } from '../message/types.ts';
import { isReliable, type Destination, type Source, type TransportError } from '../transport/types.ts';
import { deliverMessage } from './deliver-message.ts';
import { DEFAULT_TIMER_CONFIG, transactionTimerValues, type TransactionTimerValues } from './timer-config.ts';
import { TimerSet } from './timer-set.ts';
import { TransactionState } from './transaction-state.ts';
import type { ServerTransactionEvent, ServerTransactionOptions, TransactionTransport } from './types.ts';

type NistTimer = 'J';

export class NonInviteServerTransaction {
  readonly kind = 'nist' as const;
  readonly id: string;
  readonly request: SipRequest;
  readonly source: Source;
  readonly responseDestination: Destination;

  private currentState = TransactionState.Trying;
  private lastProvisional: SipResponse | undefined;
  private lastFinal: SipResponse | undefined;
  private readonly transport: TransactionTransport;
  private readonly timerValues: TransactionTimerValues;
  private readonly timers: TimerSet<NistTimer>;
  private readonly logger: Logger;
  private readonly onEvent: (event: ServerTransactionEvent) => void;
  private readonly onTerminated: (() => void) | undefined;

  constructor(options: ServerTransactionOptions) {
    if (options.request.method === 'INVITE' || options.request.method === 'ACK') {
      throw new TypeError(`a non-INVITE server transaction cannot carry ${options.request.method}`);
    }
    this.id = options.id;
    this.request = options.request;
    this.source = options.source;
    this.responseDestination = options.responseDestination;
    this.transport = options.transport;
    this.timerValues = transactionTimerValues(options.timerConfig ?? DEFAULT_TIMER_CONFIG, isReliable(options.source.protocol));
    this.timers = new TimerSet<NistTimer>(options.clock);
    this.logger = options.logger ?? silentLogger;
    this.onEvent = options.onEvent;
    this.onTerminated = options.onTerminated;
    // RFC 3261 §17.2.2: The state machine is initialized in the "Trying"
    // state and is passed a request other than INVITE or ACK when
    // initialized.  This request is passed up to the TU.
    this.logger.debug('transaction created', { id: this.id, method: this.request.method });
  }

  get state(): TransactionState {
    return this.currentState;
  }

  /** The last final response sent, if any. */
  get finalResponse(): SipResponse | undefined {
    return this.lastFinal;
  }

  /** A retransmission of the request, matched by the transaction layer (RFC 3261 §17.2.3). */
  receiveRequest(request: SipRequest, _source?: Source): void {
    switch (this.currentState) {
      case TransactionState.Trying:
        // RFC 3261 §17.2.2: Once in the "Trying" state, any further request
        // retransmissions are discarded.
        this.logger.trace('request retransmission discarded in Trying', { id: this.id, method: request.method });
        return;
      case TransactionState.Proceeding:
        // RFC 3261 §17.2.2: If a retransmission of the request is received
        // while in the "Proceeding" state, the most recently sent provisional
        // response MUST be passed to the transport layer for retransmission.
        if (this.lastProvisional) this.transmit(this.lastProvisional);
        return;
      case TransactionState.Completed:
        // RFC 3261 §17.2.2: While in the "Completed" state, the server
        // transaction MUST pass the final response to the transport layer for
        // retransmission whenever a retransmission of the request is received.
        if (this.lastFinal) this.transmit(this.lastFinal);
        return;
      default:
        this.logger.debug('request after termination discarded', { id: this.id });
    }
  }

  /** A response from the TU. Throws when the transaction can no longer take one. */
  respond(response: SipResponse): void {
    const status = response.status;
    if (!Number.isInteger(status) || status < 100 || status > 699) {
      throw new RangeError(`NIST ${this.id}: invalid status ${status}`);
    }
    if (this.currentState === TransactionState.Completed && status >= 200) {
      // RFC 3261 §17.2.2: Any other final responses passed by the TU to the
      // server transaction MUST be discarded while in the "Completed" state.
      this.logger.warn('second final response from the TU discarded', { id: this.id, status });
      return;
    }
    if (status < 200) {
      // RFC 3261 §17.2.2: While in the "Trying" state, if the TU passes a
      // provisional response to the server transaction, the server
      // transaction MUST enter the "Proceeding" state.  The response MUST be
      // passed to the transport layer for transmission.  Any further
      // provisional responses that are received from the TU while in the
      // "Proceeding" state MUST be passed to the transport layer for
      // transmission.
      if (this.currentState !== TransactionState.Proceeding) this.stateTransition(TransactionState.Proceeding);
      this.lastProvisional = response;
      this.transmit(response);
      return;
    }
    // RFC 3261 §17.2.2: If the TU passes a final response (status codes
    // 200-699) to the server while in the "Proceeding" state, the transaction
    // MUST enter the "Completed" state, and the response MUST be passed to the
    // transport layer for transmission.  (Likewise from "Trying", Figure 8.)
    this.lastFinal = response;
    this.stateTransition(TransactionState.Completed);
    this.transmit(response);
    // RFC 3261 §17.2.2: When the server transaction enters the "Completed"
    // state, it MUST set Timer J to fire in 64*T1 seconds for unreliable
    // transports, and zero seconds for reliable transports.
    this.timers.startOrRunNow('J', this.timerValues.timerJMs, () => this.onTimerJ());
  }

  /** Stops every timer and terminates without telling the TU (stack shutdown). */
  dispose(): void {
    if (this.currentState !== TransactionState.Terminated) this.stateTransition(TransactionState.Terminated);
  }

  private onTimerJ(): void {
    // RFC 3261 §17.2.2: The server transaction remains in this state until
    // Timer J fires, at which point it MUST transition to the "Terminated"
    // state.
    if (this.currentState === TransactionState.Completed) this.stateTransition(TransactionState.Terminated);
  }

  private transmit(response: SipResponse): void {
    void deliverMessage(this.transport, response, this.responseDestination).then((outcome) => {
      if (!outcome.ok) this.onTransportError(outcome.error);
    });
  }

  private onTransportError(error: TransportError): void {
    // RFC 6026 §8.8 (replacing the last paragraph of RFC 3261 §17.2.4): If
    // those should all fail, based on the definition of failure in [4], the
    // server transaction SHOULD inform the TU that a failure has occurred,
    // and MUST remain in the current state.
    if (this.currentState === TransactionState.Terminated) {
      this.logger.debug('late transport error ignored', { id: this.id, error: error.message });
      return;
    }
    this.logger.warn('transport error sending response', { id: this.id, state: this.currentState, error: error.message });
    try {
      this.onEvent({ type: 'transport-error', error });
    } catch (thrown: unknown) {
      this.logger.error('transaction user threw', { id: this.id, error: thrown });
    }
  }

  /** The single place the state changes; throws on a move Figure 8 does not have. */
  private stateTransition(newState: TransactionState): void {
    const from = this.currentState;
    const legal =
      (newState === TransactionState.Proceeding && from === TransactionState.Trying) ||
      (newState === TransactionState.Completed &&
        (from === TransactionState.Trying || from === TransactionState.Proceeding)) ||
      (newState === TransactionState.Terminated && from !== TransactionState.Terminated);
    if (!legal) throw new Error(`NIST ${this.id}: invalid state transition from ${from} to ${newState}`);
    this.currentState = newState;
    this.logger.debug('state', { id: this.id, from, to: newState });
    // RFC 3261 §17.2.2: Once the transaction is in the "Terminated" state, it
    // MUST be destroyed immediately.
    if (newState === TransactionState.Terminated) {
      this.timers.stopAll();
      this.onTerminated?.();
    }
  }
}
