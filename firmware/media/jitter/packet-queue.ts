/**
 * The packets waiting for play-out, kept sorted by extended RTP timestamp
 * (then extended sequence number), so reordered arrivals slot into place.
 */
import type { RtpPacket } from '../types.ts';

export interface QueuedPacket {
  readonly packet: RtpPacket;
  /** Extended (unwrapped) sequence number. */
  readonly sequence: number;
  /** Extended (unwrapped) timestamp, RTP clock units. */
  readonly timestamp: number;
  readonly arrivalTimeMs: number;
  /** Comfort noise (RFC 3389) rather than audio. */
  readonly isComfortNoise: boolean;
}

export class PacketQueue {
  private readonly items: QueuedPacket[] = [];

  get length(): number {
    return this.items.length;
  }

  /** Inserts in order; returns false (and stores nothing) when a packet with the same sequence number is queued. */
  insert(item: QueuedPacket): boolean {
    let index = this.items.length;
    // Arrivals are nearly always newest-last: search from the back.
    while (index > 0) {
      const before = this.items[index - 1]!;
      if (before.sequence === item.sequence) return false;
      if (before.timestamp < item.timestamp || (before.timestamp === item.timestamp && before.sequence < item.sequence)) break;
      index--;
    }
    for (let i = index - 1; i >= 0 && this.items[i]!.timestamp === item.timestamp; i--) {
      if (this.items[i]!.sequence === item.sequence) return false;
    }
    this.items.splice(index, 0, item);
    return true;
  }

  has(sequence: number): boolean {
    return this.items.some((item) => item.sequence === sequence);
  }

  peek(): QueuedPacket | undefined {
    return this.items[0];
  }

  shift(): QueuedPacket | undefined {
    return this.items.shift();
  }

  newest(): QueuedPacket | undefined {
    return this.items[this.items.length - 1];
  }

  /** Removes every packet; returns how many there were. */
  clear(): number {
    const count = this.items.length;
    this.items.length = 0;
    return count;
  }
}
