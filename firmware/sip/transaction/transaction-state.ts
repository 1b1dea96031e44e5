/** The states of the four RFC 3261 §17 transaction machines (plus RFC 6026 "Accepted"). */
export enum TransactionState {
  /** INVITE client transaction, before any response (RFC 3261 §17.1.1.2). */
  Calling = 'Calling',
  /** Non-INVITE client and server transactions, before any response (RFC 3261 §17.1.2.2, §17.2.2). */
  Trying = 'Trying',
  Proceeding = 'Proceeding',
  /** RFC 6026 §7.1, §7.2: an INVITE transaction that saw a 2xx. */
  Accepted = 'Accepted',
  Completed = 'Completed',
  /** INVITE server transaction, ACK received for a non-2xx (RFC 3261 §17.2.1). */
  Confirmed = 'Confirmed',
  Terminated = 'Terminated',
}
