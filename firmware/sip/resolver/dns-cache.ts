import type { Clock } from '../../core/clock.ts';
import type { DnsFailureCode } from './dns-resolution-error.ts';

export type CachedLookup<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: DnsFailureCode };

interface Entry {
  readonly expiresAtMs: number;
  readonly result: CachedLookup<unknown>;
}

export interface DnsCacheOptions {
  readonly clock: Clock;
  readonly maxEntries: number;
}

/**
 * A small TTL cache of DNS answers (positive and negative), keyed by
 * `<type>:<name>`. The oldest entry is evicted when full. Entries with a
 * lifetime of 0 are not stored (RFC 1035 §3.2.1: TTL 0 means do not cache).
 */
export class DnsCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: DnsCacheOptions) {}

  get<T>(key: string): CachedLookup<T> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= this.options.clock.nowMs()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.result as CachedLookup<T>;
  }

  set<T>(key: string, result: CachedLookup<T>, ttlMs: number): void {
    if (ttlMs <= 0 || this.options.maxEntries <= 0) return;
    this.entries.delete(key);
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { expiresAtMs: this.options.clock.nowMs() + ttlMs, result });
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
