import type { Clock, TimerHandle } from '../../firmware/core/clock.ts';

interface PendingTimer {
  readonly id: number;
  readonly dueMs: number;
  readonly callback: () => void;
}

/**
 * A deterministic clock for tests: time moves only when the test calls
 * `advance(ms)`, and timers fire in due order (ties in creation order).
 */
export class FakeClock implements Clock {
  private currentMs = 0;
  private nextId = 1;
  private readonly pending = new Map<number, PendingTimer>();

  nowMs(): number {
    return this.currentMs;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.pending.set(id, { id, dueMs: this.currentMs + Math.max(0, delayMs), callback });
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.pending.delete(handle.id);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const targetMs = this.currentMs + ms;
    for (;;) {
      const next = this.nextDue();
      if (!next || next.dueMs > targetMs) break;
      this.pending.delete(next.id);
      this.currentMs = next.dueMs;
      next.callback();
    }
    this.currentMs = targetMs;
  }

  /** Number of timers still armed. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Milliseconds until the next timer fires, or undefined when none is armed. */
  nextDueInMs(): number | undefined {
    const next = this.nextDue();
    return next ? next.dueMs - this.currentMs : undefined;
  }

  private nextDue(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.pending.values()) {
      if (!best || timer.dueMs < best.dueMs || (timer.dueMs === best.dueMs && timer.id < best.id)) best = timer;
    }
    return best;
  }
}
