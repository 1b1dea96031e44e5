import { systemClock, type Clock } from '../../core/clock.ts';
import type { Destination } from '../transport/types.ts';

export interface DestinationBlacklistOptions {
  readonly clock?: Clock;
  /** How long a failed destination stays listed when `add` gives no duration. Default 32 000 ms (64·T1). */
  readonly defaultDurationMs?: number;
}

/**
 * RFC 3263 §4.3: destinations that recently failed (timeout, 503, transport
 * error), remembered for a while so new transactions try other servers first.
 * Shared between target iterators.
 */
export class DestinationBlacklist {
  private readonly untilMs = new Map<string, number>();
  private readonly clock: Clock;
  private readonly defaultDurationMs: number;

  constructor(options: DestinationBlacklistOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.defaultDurationMs = options.defaultDurationMs ?? 32_000;
  }

  add(destination: Destination, durationMs = this.defaultDurationMs): void {
    this.untilMs.set(destinationKey(destination), this.clock.nowMs() + durationMs);
  }

  remove(destination: Destination): void {
    this.untilMs.delete(destinationKey(destination));
  }

  has(destination: Destination): boolean {
    const key = destinationKey(destination);
    const until = this.untilMs.get(key);
    if (until === undefined) return false;
    if (until <= this.clock.nowMs()) {
      this.untilMs.delete(key);
      return false;
    }
    return true;
  }
}

export function destinationKey(destination: Destination): string {
  return `${destination.protocol}|${destination.address}|${destination.port}`;
}
