/** Small helpers for benchmark figures: medians, percentiles, spreads and paired ratios. */

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

/** "median (min–max)" of one figure over several runs: the spread says how far one run can be trusted. */
const spread = (values: readonly number[], digits = 2): string =>
  values.length < 2
    ? fmt(median(values), digits)
    : `${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;

/** Per-run ratios of paired figures (ours[i] / anchor[i]), so a slow run moves both sides alike. */
const ratios = (ours: readonly number[], anchor: readonly number[]): number[] =>
  ours.map((o, i) => o / (anchor[i] as number));

export { fmt, median, percentile, ratios, spread, timeRuns };
