/** Public API of the RFC 3261 §17 transaction layer. */
export { addTopVia, type TopViaOptions } from './add-top-via.ts';
export { InviteClientTransaction } from './invite-client-transaction.ts';
export { InviteServerTransaction } from './invite-server-transaction.ts';
export { NonInviteClientTransaction } from './non-invite-client-transaction.ts';
export { NonInviteServerTransaction } from './non-invite-server-transaction.ts';
export { buildNon2xxAck } from './non-2xx-ack.ts';
export type { DeliveryOutcome } from './deliver-message.ts';
export {
  createTimerConfig,
  DEFAULT_TIMER_CONFIG,
  transactionTimerValues,
  type TimerConfig,
  type TransactionTimerValues,
} from './timer-config.ts';
export {
  TransactionLayer,
  type ClientTransaction,
  type ClientTransactionHandlers,
  type ServerTransaction,
  type TransactionLayerOptions,
  type TransactionUserEvent,
} from './transaction-layer.ts';
export { TransactionState } from './transaction-state.ts';
export type {
  ClientTransactionEvent,
  ClientTransactionOptions,
  ServerTransactionEvent,
  ServerTransactionOptions,
  TransactionHooks,
  TransactionTransport,
} from './types.ts';
