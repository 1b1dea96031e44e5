/**
 * Extends 16-bit RTP sequence numbers to a monotonic integer line, so the
 * buffer can sort, spot duplicates and count gaps across the 65535 → 0 wrap.
 */
import { sequenceDelta } from '../rtp/sequence.ts';

export class SequenceUnwrapper {
  private lastExtended: number | undefined;

  /**
   * RFC 3550 §5.1 / Appendix A.1: sequence numbers wrap at 2^16; a number is
   * read as the one within ±2^15 of the last extended number seen.
   */
  unwrap(sequenceNumber: number): number {
    if (this.lastExtended === undefined) {
      this.lastExtended = sequenceNumber;
      return sequenceNumber;
    }
    const extended = this.lastExtended + sequenceDelta(sequenceNumber, this.lastExtended & 0xffff);
    if (extended > this.lastExtended) this.lastExtended = extended;
    return extended;
  }

  reset(): void {
    this.lastExtended = undefined;
  }
}
