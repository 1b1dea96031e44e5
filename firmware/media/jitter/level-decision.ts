/**
 * Whether to time-stretch the next decoded audio, from the filtered buffer
 * level and the target. A dead band around the target keeps the buffer from
 * see-sawing: its width exceeds the largest single stretch (one 15 ms pitch
 * period), like NetEq's lower (¾ target) and upper (target + 20 ms) limits.
 */

export type LevelAction = 'normal' | 'accelerate' | 'expand';

export interface LevelDecisionInput {
  /** Filtered buffer level; undefined while there is no measurement yet. */
  readonly levelMs: number | undefined;
  readonly targetMs: number;
}

/** Level may sink this fraction of the target below it before expanding. */
export const EXPAND_BELOW_FRACTION = 0;
/** Level may rise max(this, 25 % of the target) above it before accelerating. */
export const ACCELERATE_ABOVE_MIN_MS = 20;

export function decideLevelAction(input: LevelDecisionInput): LevelAction {
  const { levelMs, targetMs } = input;
  if (levelMs === undefined) return 'normal';
  if (levelMs > targetMs + Math.max(ACCELERATE_ABOVE_MIN_MS, 0.25 * targetMs)) return 'accelerate';
  if (levelMs < targetMs * (1 - EXPAND_BELOW_FRACTION)) return 'expand';
  return 'normal';
}
