/**
 * A seeded, mildly jittery one-way network for the media bench: each packet
 * sent at `sendTimeMs` arrives `baseDelayMs + σ·N(0,1)` later (never sooner
 * than 1 ms), no loss. Reordering happens only where the jitter makes it
 * (rare at σ = 5 ms with 20 ms packets). Same seed, same trace.
 */
import { SeededRandom } from '../support/seeded-random.ts';

export interface MildJitterOptions {
  readonly seed: number;
  /** Default 20 ms. */
  readonly baseDelayMs?: number;
  /** Default 5 ms (RFC 3550 interarrival jitter J ≈ 5.6 ms). */
  readonly jitterStdDevMs?: number;
}

/** Returns a function giving the arrival time of the next packet from its send time. */
export function mildJitterNetwork(options: MildJitterOptions): (sendTimeMs: number) => number {
  const random = new SeededRandom(options.seed);
  const baseDelayMs = options.baseDelayMs ?? 20;
  const sigmaMs = options.jitterStdDevMs ?? 5;
  return (sendTimeMs) => sendTimeMs + Math.max(1, baseDelayMs + sigmaMs * random.normal());
}
