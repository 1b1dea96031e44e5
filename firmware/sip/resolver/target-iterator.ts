import type { Destination } from '../transport/types.ts';
import { DestinationBlacklist, destinationKey } from './destination-blacklist.ts';

export interface TargetIteratorOptions {
  /** Shared blacklist; a private one (default durations) when omitted. */
  readonly blacklist?: DestinationBlacklist;
}

/**
 * RFC 3263 §4.3 failover over the destinations `Rfc3263Resolver.resolve`
 * returned: the caller sends to `next()`, and on a timeout, a 503 or a
 * transport error calls `markFailed()` and tries `next()` again, until it
 * returns undefined.
 *
 * Blacklisted destinations are not dropped but moved behind the others: when
 * every server failed recently, trying one again beats giving up.
 */
export class TargetIterator {
  private readonly tried = new Set<string>();
  private readonly blacklist: DestinationBlacklist;

  constructor(
    private readonly destinations: readonly Destination[],
    options: TargetIteratorOptions = {},
  ) {
    this.blacklist = options.blacklist ?? new DestinationBlacklist();
  }

  /** The next destination to try, or undefined when all were tried. */
  next(): Destination | undefined {
    const untried = this.destinations.filter((d) => !this.tried.has(destinationKey(d)));
    const chosen = untried.find((d) => !this.blacklist.has(d)) ?? untried[0];
    if (chosen) this.tried.add(destinationKey(chosen));
    return chosen;
  }

  /** RFC 3263 §4.3: this destination failed; keep it blacklisted for `durationMs` (the blacklist's default when omitted). */
  markFailed(destination: Destination, durationMs?: number): void {
    this.blacklist.add(destination, durationMs);
  }

  /** How many destinations have not been handed out yet. */
  get remaining(): number {
    return this.destinations.filter((d) => !this.tried.has(destinationKey(d))).length;
  }
}
