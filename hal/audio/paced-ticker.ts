import type { Clock, TimerHandle } from '../../firmware/core/clock.ts';

export interface PacedTickerOptions {
  readonly clock: Clock;
  /** Time between ticks; need not be an integer (20 ms / 1.005). */
  readonly periodMs: number;
  /** Called once per period with the tick number (0, 1, 2, ...) and how late it runs. */
  readonly onTick: (tick: number, lateMs: number) => void;
  /**
   * When the timer fires this many periods late or more (process paused,
   * event loop blocked), the missed ticks are skipped instead of run back to
   * back, and the schedule is re-anchored. Default 5.
   */
  readonly maxCatchUpTicks?: number;
  /** Told how many ticks were skipped. */
  readonly onSkip?: (skippedTicks: number) => void;
}

/**
 * Calls `onTick` every `periodMs` against absolute deadlines
 * (start + n × period), so timer lateness never accumulates into drift.
 */
export class PacedTicker {
  private timer: TimerHandle | undefined;
  private originMs = 0;
  private nextTick = 0;
  private running = false;
  private skipped = 0;

  constructor(private readonly options: PacedTickerOptions) {
    if (!(options.periodMs > 0)) throw new RangeError(`periodMs must be > 0, got ${options.periodMs}`);
  }

  /** Starts now: tick 0 runs at the first timer turn, on the current time. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.originMs = this.options.clock.nowMs();
    this.nextTick = 0;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Ticks run so far. */
  get ticks(): number {
    return this.nextTick;
  }

  get skippedTicks(): number {
    return this.skipped;
  }

  private deadlineMs(tick: number): number {
    return this.originMs + tick * this.options.periodMs;
  }

  private schedule(): void {
    const delayMs = this.deadlineMs(this.nextTick) - this.options.clock.nowMs();
    this.timer = this.options.clock.setTimeout(() => this.fire(), Math.max(0, delayMs));
  }

  private fire(): void {
    this.timer = undefined;
    if (!this.running) return;
    const nowMs = this.options.clock.nowMs();
    const maxCatchUp = this.options.maxCatchUpTicks ?? 5;
    const due = Math.floor((nowMs - this.originMs) / this.options.periodMs) + 1 - this.nextTick;
    if (due > maxCatchUp) {
      // Too far behind: drop the backlog, keep the phase of the grid.
      const skip = due - 1;
      this.nextTick += skip;
      this.skipped += skip;
      this.options.onSkip?.(skip);
    }
    // The epsilon absorbs float rounding of (deadline - now) + now.
    while (this.running && this.deadlineMs(this.nextTick) <= nowMs + 1e-6) {
      const tick = this.nextTick++;
      this.options.onTick(tick, nowMs - this.deadlineMs(tick));
    }
    if (this.running && this.timer === undefined) this.schedule();
  }
}
