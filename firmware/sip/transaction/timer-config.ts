/**
 * RFC 3261 §17 transaction timers: the base values T1, T2, T4 and the
 * timers A–M derived from them (RFC 3261 Table 4, RFC 6026 §8.11 for L and M).
 *
 * | Timer | Value                      | Meaning                                   |
 * |-------|----------------------------|-------------------------------------------|
 * | T1    | 500 ms default             | RTT estimate                              |
 * | T2    | 4 s                        | max retransmit interval, non-INVITE / 1xx |
 * | T4    | 5 s                        | max time a message stays in the network   |
 * | A     | initially T1               | INVITE request retransmit (UDP only)      |
 * | B     | 64*T1                      | INVITE transaction timeout                |
 * | C     | > 3 min                    | proxy INVITE timeout (unused by a UA)     |
 * | D     | > 32 s UDP, 0 reliable     | wait for response retransmits             |
 * | E     | initially T1               | non-INVITE request retransmit (UDP only)  |
 * | F     | 64*T1                      | non-INVITE transaction timeout            |
 * | G     | initially T1               | INVITE response retransmit (UDP only)     |
 * | H     | 64*T1                      | wait for ACK receipt                      |
 * | I     | T4 UDP, 0 reliable         | wait for ACK retransmits                  |
 * | J     | 64*T1 UDP, 0 reliable      | wait for non-INVITE request retransmits   |
 * | K     | T4 UDP, 0 reliable         | wait for response retransmits             |
 * | L     | 64*T1                      | wait for accepted INVITE retransmits      |
 * | M     | 64*T1                      | wait for retransmits of 2xx to INVITE     |
 */

export interface TimerConfig {
  /** RFC 3261 §17.1.1.1: RTT estimate, 500 ms by default. */
  readonly t1Ms: number;
  /** RFC 3261 §17.1.2.2: maximum retransmit interval for non-INVITE requests and INVITE responses, 4 s. */
  readonly t2Ms: number;
  /** RFC 3261 §17.1.2.2: maximum duration a message will remain in the network, 5 s. */
  readonly t4Ms: number;
  /**
   * RFC 3261 §17.2.1: the INVITE server transaction sends 100 Trying itself
   * unless the TU answers within this delay (200 ms).
   */
  readonly tryingDelayMs: number;
}

export const DEFAULT_TIMER_CONFIG: TimerConfig = Object.freeze({
  t1Ms: 500,
  t2Ms: 4_000,
  t4Ms: 5_000,
  tryingDelayMs: 200,
});

/** The timer values one transaction uses, resolved for its transport's reliability. */
export interface TransactionTimerValues {
  /** Initial Timer A interval; 0 on reliable transports (no retransmission). */
  readonly timerAMs: number;
  readonly timerBMs: number;
  readonly timerCMs: number;
  readonly timerDMs: number;
  /** Initial Timer E interval; 0 on reliable transports (no retransmission). */
  readonly timerEMs: number;
  readonly timerFMs: number;
  /** Initial Timer G interval; 0 on reliable transports (no retransmission). */
  readonly timerGMs: number;
  readonly timerHMs: number;
  readonly timerIMs: number;
  readonly timerJMs: number;
  readonly timerKMs: number;
  readonly timerLMs: number;
  readonly timerMMs: number;
  /** Cap for the doubling Timer E and Timer G intervals. */
  readonly t2Ms: number;
}

/** Overrides on the defaults; every value must be a positive finite number of milliseconds. */
export function createTimerConfig(overrides: Partial<TimerConfig> = {}): TimerConfig {
  const config: TimerConfig = { ...DEFAULT_TIMER_CONFIG, ...overrides };
  for (const [name, value] of Object.entries(config)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`timer ${name} must be a positive number of milliseconds, got ${String(value)}`);
    }
  }
  return Object.freeze(config);
}

/** RFC 3261 Table 4 (and RFC 6026 §8.11), for one transport kind. */
export function transactionTimerValues(config: TimerConfig, reliable: boolean): TransactionTimerValues {
  const sixtyFourT1Ms = 64 * config.t1Ms;
  return {
    timerAMs: reliable ? 0 : config.t1Ms,
    timerBMs: sixtyFourT1Ms,
    // RFC 3261 §16.6 step 11: "greater than 3 minutes".
    timerCMs: 180_000,
    // RFC 3261 §17.1.1.2: "at least 32 seconds for unreliable transports, and
    // a value of zero seconds for reliable transports". 32 s is 64*T1 with the
    // default T1; a larger custom T1 stretches it to cover the server's Timer H.
    timerDMs: reliable ? 0 : Math.max(32_000, sixtyFourT1Ms),
    timerEMs: reliable ? 0 : config.t1Ms,
    timerFMs: sixtyFourT1Ms,
    timerGMs: reliable ? 0 : config.t1Ms,
    timerHMs: sixtyFourT1Ms,
    timerIMs: reliable ? 0 : config.t4Ms,
    timerJMs: reliable ? 0 : sixtyFourT1Ms,
    timerKMs: reliable ? 0 : config.t4Ms,
    timerLMs: sixtyFourT1Ms,
    timerMMs: sixtyFourT1Ms,
    t2Ms: config.t2Ms,
  };
}
