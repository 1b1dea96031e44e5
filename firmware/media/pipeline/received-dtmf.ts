import type { DtmfDigit } from '../dtmf/dtmf-digits.ts';

/** A digit received from the peer, reported once when it has ended. */
export interface ReceivedDtmf {
  readonly digit: DtmfDigit;
  /** `rfc4733`: telephone-event packets; `in-band`: detected in the decoded audio. */
  readonly source: 'rfc4733' | 'in-band';
  readonly durationMs: number;
  /** RFC 4733 only: how the event ended (`end-bit`, `timeout` when its end packets were lost, `next-event`). */
  readonly endedBy: 'end-bit' | 'timeout' | 'next-event' | 'tone-ended';
}
