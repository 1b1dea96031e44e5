/**
 * Hands one message to the transport and turns every failure into a
 * `TransportError` outcome, so a transaction never sees a rejected promise
 * (or a synchronous throw from a faulty transport).
 */
import type { SipMessage } from '../message/types.ts';
import { TransportError, type Destination, type SendResult } from '../transport/types.ts';
import type { TransactionTransport } from './types.ts';

export type DeliveryOutcome =
  | { readonly ok: true; readonly result: SendResult }
  | { readonly ok: false; readonly error: TransportError };

export async function deliverMessage(
  transport: TransactionTransport,
  message: SipMessage,
  destination: Destination,
): Promise<DeliveryOutcome> {
  try {
    return { ok: true, result: await transport.send(message, destination) };
  } catch (cause: unknown) {
    if (cause instanceof TransportError) return { ok: false, error: cause };
    const text = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, error: new TransportError(`send failed: ${text}`, destination, cause) };
  }
}
