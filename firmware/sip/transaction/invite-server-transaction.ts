/**
 * INVITE server transaction, RFC 3261 §17.2.1, with the "Accepted" state of
 * RFC 6026 §7.1 (after a 2xx the transaction stays for Timer L to absorb
 * INVITE retransmissions; the TU retransmits the 2xx itself).
 *
 * RFC 3261 Figure 7 as updated by RFC 6026 Figure 7:
 *
 * ```
 *                                      |INVITE
 *                                      |pass INV to TU
 *                   INVITE             V send 100 if TU won't in 200 ms
 *                   send response+------------+
 *                       +--------|            |--------+ 101-199 from TU
 *                       |        |            |        | send response
 *                       +------->|            |<-------+
 *                                | Proceeding |
 *                                |            |--------+ Transport Err.
 *                                |            |        | Inform TU
 *                                |            |<-------+
 *                                +------------+
 *                   300-699 from TU |    |2xx from TU
 *                   send response   |    |send response
 *                    +--------------+    +------------+
 *                    |                                |
 *   INVITE           V          Timer G fires         |
 *   send response+-----------+  send response         |
 *       +--------|           |--------+               |
 *       |        |           |        |               |
 *       +------->| Completed |<-------+      INVITE   |  Transport Err.
 *                |           |               -        |  Inform TU
 *       +--------|           |----+          +-----+  |  +---+
 *       |        +-----------+    | ACK      |     v  v  |   v
 *       |          ^    |         | -        +------------+
 *       |          |    |         |          |            |---+ ACK
 *       +----------+    |         |          |  Accepted  |   | to TU
 *       Transport Err.  |         |          |            |<--+
 *       Inform TU       |         V          +------------+
 *                       |   +-----------+        |  ^     |
 *                       |   |           |        |  |     |
 *                       |   | Confirmed |        |  +-----+
 *                       |   |           |        |  2xx from TU
 *                       |   +-----------+        |  send response
 *          Timer H fires|      ^  |   |          |
 *          -            |  ACK |  |   |          |
 *          inform TU    |  -   +--+   |          |
 *                       |             |Timer I   | Timer L fires
 *                       |             |fires -   | -
 *                       V             V          V
 *                      +---------------------------+
 *                      |        Terminated         |
 *                      +---------------------------+
 * ```
 *
 * Transport errors (RFC 6026 §8.8): the TU is informed and the transaction
 * stays in its state; its timers end it.
 *
 * Timers: G (response retransmission, unreliable only, doubling up to T2),
 * H (wait for ACK, 64*T1), I (linger in Confirmed: T4 unreliable, 0 reliable),
 * L (linger in Accepted, 64*T1), and the 200 ms "100 Trying" delay.
 */
import { silentLogger, type Logger } from '../../log/logger.ts';
import { createResponse } from '../message/build.ts';
import type { SipRequest, SipResponse } from '../message/types.ts';
import { isReliable, type Destination, type Source, type TransportError } from '../transport/types.ts';
import { deliverMessage } from './deliver-message.ts';
import { DEFAULT_TIMER_CONFIG, transactionTimerValues, type TransactionTimerValues } from './timer-config.ts';
import { TimerSet } from './timer-set.ts';
import { TransactionState } from './transaction-state.ts';
import type { ServerTransactionEvent, ServerTransactionOptions, TransactionTransport } from './types.ts';

type IstTimer = 'Trying' | 'G' | 'H' | 'I' | 'L';

export class InviteServerTransaction {
  readonly kind = 'ist' as const;
  readonly id: string;
  readonly request: SipRequest;
  readonly source: Source;
  readonly responseDestination: Destination;

  private currentState = TransactionState.Proceeding;
  private lastProvisional: SipResponse | undefined;
  private lastFinal: SipResponse | undefined;
  private retransmitIntervalMs = 0;
  private readonly transport: TransactionTransport;
  private readonly timerValues: TransactionTimerValues;
  private readonly timers: TimerSet<IstTimer>;
  private readonly logger: Logger;
  private readonly onEvent: (event: ServerTransactionEvent) => void;
  private readonly onTerminated: (() => void) | undefined;

  constructor(options: ServerTransactionOptions) {
    if (options.request.method !== 'INVITE') {
      throw new TypeError(`an INVITE server transaction cannot carry ${options.request.method}`);
    }
    const timerConfig = options.timerConfig ?? DEFAULT_TIMER_CONFIG;
    this.id = options.id;
    this.request = options.request;
    this.source = options.source;
    this.responseDestination = options.responseDestination;
    this.transport = options.transport;
    this.timerValues = transactionTimerValues(timerConfig, isReliable(options.source.protocol));
    this.timers = new TimerSet<IstTimer>(options.clock);
    this.logger = options.logger ?? silentLogger;
    this.onEvent = options.onEvent;
    this.onTerminated = options.onTerminated;
    this.logger.debug('transaction created', { id: this.id });

    // RFC 3261 §17.2.1: When a server transaction is constructed for a
    // request, it enters the "Proceeding" state.  The server transaction MUST
    // generate a 100 (Trying) response unless it knows that the TU will
    // generate a provisional or final response within 200 ms, in which case
    // it MAY generate a 100 (Trying) response.
    this.timers.start('Trying', timerConfig.tryingDelayMs, () => this.onTryingTimer());
  }

  get state(): TransactionState {
    return this.currentState;
  }

  /** The last final response sent (the 2xx in Accepted, the 300-699 in Completed/Confirmed). */
  get finalResponse(): SipResponse | undefined {
    return this.lastFinal;
  }

  /** An INVITE retransmission or an ACK, matched by the transaction layer (RFC 3261 §17.2.3). */
  receiveRequest(request: SipRequest, source: Source = this.source): void {
    const isAck = request.method === 'ACK';
    switch (this.currentState) {
      case TransactionState.Proceeding:
        // RFC 3261 §17.2.1: If a request retransmission is received while in
        // the "Proceeding" state, the most recent provisional response that
        // was received from the TU MUST be passed to the transport layer for
        // retransmission.
        if (!isAck && this.lastProvisional) this.transmit(this.lastProvisional);
        return;
      case TransactionState.Completed:
        if (isAck) {
          // RFC 3261 §17.2.1: If an ACK is received while the server
          // transaction is in the "Completed" state, the server transaction
          // MUST transition to the "Confirmed" state.  As Timer G is ignored
          // in this state, any retransmissions of the response will cease.
          this.stateTransition(TransactionState.Confirmed);
          // RFC 3261 §17.2.1: When this state is entered, timer I is set to
          // fire in T4 seconds for unreliable transports, and zero seconds for
          // reliable transports.
          this.timers.startOrRunNow('I', this.timerValues.timerIMs, () => this.onTimerI());
          return;
        }
        // RFC 3261 §17.2.1: Furthermore, while in the "Completed" state, if a
        // request retransmission is received, the server SHOULD pass the
        // response to the transport for retransmission.
        if (this.lastFinal) this.transmit(this.lastFinal);
        return;
      case TransactionState.Confirmed:
        // RFC 3261 §17.2.1: The purpose of the "Confirmed" state is to absorb
        // any additional ACK messages that arrive, triggered from
        // retransmissions of the final response.
        this.logger.trace('request absorbed in Confirmed', { id: this.id, method: request.method });
        return;
      case TransactionState.Accepted:
        if (isAck) {
          // RFC 6026 §7.1 (Figure 7): in the "Accepted" state an ACK is
          // passed to the TU.
          this.notify({ type: 'ack', request, source });
          return;
        }
        // RFC 6026 §8.7: While in the "Accepted" state, any retransmissions
        // of the INVITE received will match this transaction state machine
        // and will be absorbed by the machine without changing its state.
        // These retransmissions are not passed onto the TU.
        this.logger.trace('INVITE retransmission absorbed in Accepted', { id: this.id });
        return;
      default:
        this.logger.debug('request after termination discarded', { id: this.id, method: request.method });
    }
  }

  /** A response from the TU. Throws on a response Figure 7 has no arc for. */
  respond(response: SipResponse): void {
    const status = response.status;
    if (!Number.isInteger(status) || status < 100 || status > 699) {
      throw new RangeError(`IST ${this.id}: invalid status ${status}`);
    }
    if (status < 200) {
      // RFC 3261 §17.2.1: The TU passes any number of provisional responses
      // to the server transaction.  So long as the server transaction is in
      // the "Proceeding" state, each of these MUST be passed to the transport
      // layer for transmission.  They are not sent reliably by the
      // transaction layer (they are not retransmitted by it) and do not
      // cause a change in the state of the server transaction.
      if (this.currentState !== TransactionState.Proceeding) this.stateTransition(TransactionState.Proceeding);
      this.timers.stop('Trying');
      this.lastProvisional = response;
      this.transmit(response);
      return;
    }
    if (status < 300) {
      // RFC 6026 §8.7: While in the "Accepted" state, if the TU passes a 2xx
      // response, the server transaction MUST pass the response to the
      // transport layer for transmission.
      if (this.currentState === TransactionState.Accepted) {
        this.transmit(response);
        return;
      }
      // RFC 6026 §8.5: If, while in the "Proceeding" state, the TU passes a
      // 2xx response to the server transaction, the server transaction MUST
      // pass this response to the transport layer for transmission.  It is
      // not retransmitted by the server transaction; retransmissions of 2xx
      // responses are handled by the TU.  The server transaction MUST then
      // transition to the "Accepted" state.
      this.stateTransition(TransactionState.Accepted);
      this.lastFinal = response;
      this.transmit(response);
      return;
    }
    // RFC 3261 §17.2.1: While in the "Proceeding" state, if the TU passes a
    // response with status code from 300 to 699 to the server transaction,
    // the response MUST be passed to the transport layer for transmission,
    // and the state machine MUST enter the "Completed" state.
    this.stateTransition(TransactionState.Completed);
    this.lastFinal = response;
    this.transmit(response);
  }

  /** Stops every timer and terminates without telling the TU (stack shutdown). */
  dispose(): void {
    if (this.currentState !== TransactionState.Terminated) this.stateTransition(TransactionState.Terminated);
  }

  private onTryingTimer(): void {
    if (this.currentState !== TransactionState.Proceeding || this.lastProvisional) return;
    // RFC 3261 §17.2.1: the server transaction MUST generate a 100 (Trying)
    // response unless it knows that the TU will generate a provisional or
    // final response within 200 ms.  (RFC 3261 §8.2.6.1: no To tag.)
    this.logger.debug('TU silent for 200 ms: sending 100 Trying', { id: this.id });
    const trying = createResponse(this.request, 100);
    this.lastProvisional = trying;
    this.transmit(trying);
  }

  private onTimerG(): void {
    // RFC 3261 §17.2.1: If timer G fires, the response is passed to the
    // transport layer once more for retransmission, and timer G is set to
    // fire in MIN(2*T1, T2) seconds.  From then on, when timer G fires, the
    // response is passed to the transport again for transmission, and timer
    // G is reset with a value that doubles, unless that value exceeds T2, in
    // which case it is reset with the value of T2.
    if (this.currentState !== TransactionState.Completed || !this.lastFinal) return;
    this.retransmitIntervalMs = Math.min(2 * this.retransmitIntervalMs, this.timerValues.t2Ms);
    this.logger.debug('Timer G fired: retransmitting final response', { id: this.id, nextInMs: this.retransmitIntervalMs });
    this.transmit(this.lastFinal);
    this.timers.start('G', this.retransmitIntervalMs, () => this.onTimerG());
  }

  private onTimerH(): void {
    // RFC 3261 §17.2.1: If timer H fires while in the "Completed" state, it
    // implies that the ACK was never received.  In this case, the server
    // transaction MUST transition to the "Terminated" state, and MUST
    // indicate to the TU that a transaction failure has occurred.
    if (this.currentState !== TransactionState.Completed) return;
    this.logger.info('Timer H fired: no ACK received', { id: this.id });
    this.stateTransition(TransactionState.Terminated);
    this.notify({ type: 'timeout', timer: 'H' });
  }

  private onTimerI(): void {
    // RFC 3261 §17.2.1: Once timer I fires, the server MUST transition to the
    // "Terminated" state.
    if (this.currentState === TransactionState.Confirmed) this.stateTransition(TransactionState.Terminated);
  }

  private onTimerL(): void {
    // RFC 6026 §8.7: If Timer L fires while the INVITE server transaction is
    // in the "Accepted" state, the transaction MUST transition to the
    // "Terminated" state.
    if (this.currentState === TransactionState.Accepted) this.stateTransition(TransactionState.Terminated);
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
    this.notify({ type: 'transport-error', error });
  }

  private notify(event: ServerTransactionEvent): void {
    try {
      this.onEvent(event);
    } catch (error: unknown) {
      this.logger.error('transaction user threw', { id: this.id, event: event.type, error });
    }
  }

  /** The single place the state changes; throws on a move Figure 7 does not have. */
  private stateTransition(newState: TransactionState): void {
    const from = this.currentState;
    const legal =
      (newState === TransactionState.Accepted && from === TransactionState.Proceeding) ||
      (newState === TransactionState.Completed && from === TransactionState.Proceeding) ||
      (newState === TransactionState.Confirmed && from === TransactionState.Completed) ||
      (newState === TransactionState.Terminated && from !== TransactionState.Terminated);
    if (!legal) throw new Error(`IST ${this.id}: invalid state transition from ${from} to ${newState}`);

    // A response from the TU makes the automatic 100 Trying unnecessary.
    this.timers.stop('Trying');
    this.currentState = newState;
    this.logger.debug('state', { id: this.id, from, to: newState });

    switch (newState) {
      case TransactionState.Accepted:
        // RFC 6026 §8.7: Timer L MUST be set to fire in 64*T1.
        this.timers.start('L', this.timerValues.timerLMs, () => this.onTimerL());
        break;
      case TransactionState.Completed:
        // RFC 3261 §17.2.1: For unreliable transports, timer G is set to fire
        // in T1 seconds, and is not set to fire for reliable transports.
        // When the "Completed" state is entered, timer H MUST be set to fire
        // in 64*T1 seconds for all transports.
        if (this.timerValues.timerGMs > 0) {
          this.retransmitIntervalMs = this.timerValues.timerGMs;
          this.timers.start('G', this.retransmitIntervalMs, () => this.onTimerG());
        }
        this.timers.start('H', this.timerValues.timerHMs, () => this.onTimerH());
        break;
      case TransactionState.Confirmed:
        // RFC 3261 §17.2.1: As Timer G is ignored in this state, any
        // retransmissions of the response will cease.
        this.timers.stop('G');
        this.timers.stop('H');
        break;
      case TransactionState.Terminated:
        // RFC 3261 §17.2.1: Once the transaction is in the "Terminated"
        // state, it MUST be destroyed immediately.
        this.timers.stopAll();
        this.onTerminated?.();
        break;
      default:
        break;
    }
  }
}
