/**
 * Latency summaries for the benchmarks: nearest-rank percentiles over every
 * sample (no histogram buckets, so the tail is exact).
 */

/** p50/p95/p99/max of a set of latencies (ms), and how many there were. */
export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of sorted values (0 for none). */
function rank(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

/** Summarise latencies in ms, rounded to 0.01 ms. */
export function summarize(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    n: sorted.length,
    p50: r(rank(sorted, 50)),
    p95: r(rank(sorted, 95)),
    p99: r(rank(sorted, 99)),
    max: r(sorted[sorted.length - 1] ?? 0),
  };
}

/** `value / floor`, rounded to 0.01; null when the floor is not positive. */
export function ratio(value: number, floor: number): number | null {
  return floor > 0 ? Math.round((value / floor) * 100) / 100 : null;
}
