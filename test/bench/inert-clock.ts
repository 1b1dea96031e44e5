/**
 * A clock whose timers never fire: given to the benchmark's Registration
 * objects so that none of them refreshes, retries or keeps the process
 * alive on its own (each one is measured once and then dropped).
 */
import type { Clock, TimerHandle } from '../../firmware/core/clock.ts';

let nextId = 1;

export const inertClock: Clock = {
  nowMs: () => performance.now(),
  setTimeout: (): TimerHandle => ({ id: nextId++ }),
  clearTimeout: () => undefined,
};
