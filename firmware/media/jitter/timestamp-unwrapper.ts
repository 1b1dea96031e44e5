/**
 * Extends 32-bit RTP timestamps to a monotonic number line (RTP clock units),
 * so play-out arithmetic never meets the 2^32 wrap.
 */
import { timestampDelta } from '../rtp/timestamp.ts';

export class TimestampUnwrapper {
  private lastExtended: number | undefined;

  /**
   * RFC 3550 §5.1: the timestamp wraps at 2^32; a timestamp is read as the one
   * within ±2^31 units of the newest extended timestamp seen.
   */
  unwrap(timestamp: number): number {
    if (this.lastExtended === undefined) {
      this.lastExtended = timestamp;
      return timestamp;
    }
    const lastWrapped = ((this.lastExtended % 0x1_0000_0000) + 0x1_0000_0000) % 0x1_0000_0000;
    const extended = this.lastExtended + timestampDelta(timestamp, lastWrapped);
    if (extended > this.lastExtended) this.lastExtended = extended;
    return extended;
  }

  reset(): void {
    this.lastExtended = undefined;
  }
}
