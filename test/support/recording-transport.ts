/**
 * A `TransactionTransport` for transaction tests: records every message it is
 * asked to send (with the fake time it was sent at), and can be told to fail
 * sends or to report that a UDP send went out over TCP (RFC 3261 §18.1.1).
 */
import type { Clock } from '../../firmware/core/clock.ts';
import type { SipMessage, SipRequest, SipResponse } from '../../firmware/sip/message/types.ts';
import type { TransactionTransport } from '../../firmware/sip/transaction/types.ts';
import { TransportError, type Destination, type SendResult, type TransportProtocol } from '../../firmware/sip/transport/types.ts';

export interface SentMessage {
  readonly message: SipMessage;
  readonly destination: Destination;
  readonly atMs: number;
}

export class RecordingTransport implements TransactionTransport {
  readonly sent: SentMessage[] = [];
  /** Sends matching this predicate reject with a `TransportError`. */
  failWhen: ((message: SipMessage) => boolean) | undefined;
  /** The protocol reported in `SendResult`; the destination's when unset. */
  reportProtocol: TransportProtocol | undefined;

  constructor(private readonly clock: Clock) {}

  send(message: SipMessage, destination: Destination): Promise<SendResult> {
    this.sent.push({ message, destination, atMs: this.clock.nowMs() });
    if (this.failWhen?.(message)) {
      return Promise.reject(new TransportError('connection refused (test)', destination));
    }
    return Promise.resolve({ protocol: this.reportProtocol ?? destination.protocol });
  }

  requests(method?: string): SipRequest[] {
    return this.sent
      .map((entry) => entry.message)
      .filter((message): message is SipRequest => message.kind === 'request' && (method === undefined || message.method === method));
  }

  responses(status?: number): SipResponse[] {
    return this.sent
      .map((entry) => entry.message)
      .filter((message): message is SipResponse => message.kind === 'response' && (status === undefined || message.status === status));
  }

  /** Fake times at which messages matching the predicate were sent. */
  timesOf(predicate: (message: SipMessage) => boolean): number[] {
    return this.sent.filter((entry) => predicate(entry.message)).map((entry) => entry.atMs);
  }

  clear(): void {
    this.sent.length = 0;
  }
}

/** Lets pending promise callbacks (send outcomes) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
