/**
 * The named timers of one transaction (A, B, D...), on an injected `Clock`.
 * Starting a timer that is already running restarts it; `stopAll()` runs
 * when the transaction terminates so nothing fires afterwards.
 */
import type { Clock, TimerHandle } from '../../core/clock.ts';

export class TimerSet<Name extends string> {
  private readonly handles = new Map<Name, TimerHandle>();

  constructor(private readonly clock: Clock) {}

  start(name: Name, delayMs: number, onFire: () => void): void {
    this.stop(name);
    const handle = this.clock.setTimeout(() => {
      this.handles.delete(name);
      onFire();
    }, delayMs);
    this.handles.set(name, handle);
  }

  /** Like `start`, but a zero delay (RFC 3261: "zero seconds for reliable transports") runs `onFire` now. */
  startOrRunNow(name: Name, delayMs: number, onFire: () => void): void {
    if (delayMs <= 0) {
      this.stop(name);
      onFire();
    } else {
      this.start(name, delayMs, onFire);
    }
  }

  stop(name: Name): void {
    const handle = this.handles.get(name);
    if (handle) {
      this.clock.clearTimeout(handle);
      this.handles.delete(name);
    }
  }

  isRunning(name: Name): boolean {
    return this.handles.has(name);
  }

  stopAll(): void {
    for (const handle of this.handles.values()) this.clock.clearTimeout(handle);
    this.handles.clear();
  }
}
