/**
 * RFC 5626 §3.5.1 / §4.4.1: a periodic keep-alive, started and stopped by the
 * user of the transport layer (registration, for the registrar's flow).
 */
import type { Clock, TimerHandle } from '../../core/clock.ts';

export interface KeepAliveHandle {
  stop(): void;
}

export interface KeepAliveOptions {
  /** e.g. 25 000 ms for UDP NAT bindings; RFC 5626 §4.4.1 suggests 95-120 s for TCP. */
  readonly intervalMs: number;
}

export interface KeepAliveTimerOptions extends KeepAliveOptions {
  readonly clock: Clock;
  /** Sends one keep-alive; must not throw (the layer logs its own failures). */
  readonly tick: () => void;
}

/** Calls `tick` every `intervalMs` (first after one interval) until stopped. */
export function startKeepAliveTimer(options: KeepAliveTimerOptions): KeepAliveHandle {
  if (!(options.intervalMs > 0)) throw new RangeError(`keep-alive intervalMs must be positive, got ${options.intervalMs}`);
  let timer: TimerHandle | undefined;
  let stopped = false;
  const arm = (): void => {
    timer = options.clock.setTimeout(() => {
      if (stopped) return;
      options.tick();
      arm();
    }, options.intervalMs);
  };
  arm();
  return {
    stop: () => {
      stopped = true;
      options.clock.clearTimeout(timer);
    },
  };
}
