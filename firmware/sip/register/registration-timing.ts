/** When to refresh a registration and how long to wait after a failure. */

export interface RetryPolicy {
  /** First retry delay after a transient failure (timeout, 5xx, transport error). */
  readonly minDelayMs: number;
  /**
   * Upper bound of the back-off. Kept low (20 s) so a phone is back within
   * 30 s of its server's return; jitter spreads a building's phones apart.
   */
  readonly maxDelayMs: number;
  /** After rejected credentials, 403 or 404: retrying sooner cannot help and would storm the server. */
  readonly authFailureDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  minDelayMs: 1000,
  maxDelayMs: 20_000,
  authFailureDelayMs: 300_000,
};

/**
 * Delay before the `failureCount`-th retry (1-based): exponential from
 * `minDelayMs`, capped at `maxDelayMs`, scaled by a jitter factor in
 * [0.5, 1) in the spirit of RFC 5626 §4.5.
 */
export function retryDelayMs(failureCount: number, policy: RetryPolicy, random01: number): number {
  const exponent = Math.min(Math.max(failureCount - 1, 0), 30);
  const ceilingMs = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** exponent);
  return Math.round(ceilingMs * (0.5 + 0.5 * Math.min(Math.max(random01, 0), 1)));
}

/**
 * When to refresh a binding granted for `expiresSec`: 30 s before it
 * expires, but never later than half-way (short registrations refresh at the
 * half), so a lost refresh still has time for retransmissions.
 */
export function refreshDelayMs(expiresSec: number): number {
  const expiresMs = expiresSec * 1000;
  return Math.max(expiresMs - 30_000, expiresMs / 2);
}
