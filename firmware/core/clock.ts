/**
 * Time as the firmware sees it. Everything that waits (transaction timers,
 * registration refresh, back-off) asks a `Clock`, so tests can drive time
 * with `FakeClock` (test/support/fake-clock.ts) instead of sleeping.
 */

export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Monotonic milliseconds since an arbitrary origin. */
  nowMs(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

let nextTimerId = 1;

/** The real clock: `performance.now()` and Node timers (unref'd so they never keep the process alive alone). */
export class SystemClock implements Clock {
  private readonly timers = new Map<number, NodeJS.Timeout>();

  nowMs(): number {
    return performance.now();
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = nextTimerId++;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      callback();
    }, Math.max(0, delayMs));
    this.timers.set(id, timer);
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const timer = this.timers.get(handle.id);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(handle.id);
    }
  }
}

export const systemClock: Clock = new SystemClock();
