/** Small helpers for benchmark figures: medians, percentiles and paired ratios. */

const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
};

const median = (values: readonly number[]): number => percentile(values, 50);

/** Times `fn` `runs` times; returns milliseconds per run. */
const timeRuns = async (runs: number, fn: () => Promise<unknown>): Promise<number[]> => {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
};

const fmt = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

export { fmt, median, percentile, timeRuns };
