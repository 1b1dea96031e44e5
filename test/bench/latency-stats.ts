/** Summary figures of a set of latency samples (milliseconds), for the benchmarks. */

export interface LatencyStats {
  readonly count: number;
  readonly minMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly maxMs: number;
}

/** Nearest-rank percentile of ascending `sorted` (p in [0, 100]). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) throw new Error('median of no samples');
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function latencyStats(samplesMs: readonly number[]): LatencyStats {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    minMs: percentile(sorted, 0),
    p50Ms: median(sorted),
    p99Ms: percentile(sorted, 99),
    meanMs: total / sorted.length,
    maxMs: sorted[sorted.length - 1] as number,
  };
}

/** `p50 0.412 ms, p99 0.950 ms, mean 0.455 ms (n=200)` */
export function formatLatency(stats: LatencyStats, digits = 3): string {
  const ms = (value: number): string => `${value.toFixed(digits)} ms`;
  return `p50 ${ms(stats.p50Ms)}, p99 ${ms(stats.p99Ms)}, mean ${ms(stats.meanMs)} (n=${stats.count})`;
}
