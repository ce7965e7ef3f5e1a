import { type Labels, matches, type RangeSeries, type SeriesSource } from './promql.ts';
import type { Matcher } from './promqlParser.ts';

interface SeriesSample {
  name: string;
  labels: Labels;
  value: number;
}

interface Series {
  name: string;
  labels: Labels;
  /** Aligned with the history's times; NaN where the series had no sample. */
  values: number[];
}

/**
 * Samples of a few metric families at a fixed step, for a bounded span: memory is capped by `capacity`
 * rows whatever the run's length. A row may be marked as the moment every counter was zero (the
 * process start), which a series born later also reads as 0.
 */
class SeriesHistory implements SeriesSource {
  readonly capacity: number;
  readonly #times: number[] = [];
  readonly #zero: boolean[] = [];
  readonly #series = new Map<string, Series>();

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get oldestMs(): number | undefined {
    return this.#times[0];
  }

  get latestMs(): number | undefined {
    return this.#times[this.#times.length - 1];
  }

  /** Times of the rows after `ms`, zero rows left out. */
  timesAfter(ms: number): number[] {
    return this.#times.filter((t, i) => t > ms && !this.#zero[i]);
  }

  /** Adds a row where every counter is zero (the process started then). */
  addZeroRow(atMs: number): void {
    this.#times.push(atMs);
    this.#zero.push(true);
    for (const series of this.#series.values()) series.values.push(0);
  }

  add(atMs: number, samples: readonly SeriesSample[]): void {
    this.#times.push(atMs);
    this.#zero.push(false);
    const row = this.#times.length - 1;
    for (const sample of samples) {
      const key = `${sample.name}${JSON.stringify(sample.labels)}`;
      let series = this.#series.get(key);
      if (series === undefined) {
        series = {
          name: sample.name,
          labels: sample.labels,
          values: this.#zero.map((zero) => (zero ? 0 : Number.NaN)),
        };
        this.#series.set(key, series);
      }
      series.values[row] = sample.value;
    }
    for (const series of this.#series.values())
      if (series.values.length <= row) series.values.push(Number.NaN);
    // Trim in steps of a tenth, so a full history does not shift its arrays on every row.
    if (this.#times.length > this.capacity) {
      const drop = Math.max(1, Math.ceil(this.capacity / 10));
      this.#times.splice(0, drop);
      this.#zero.splice(0, drop);
      for (const series of this.#series.values()) series.values.splice(0, drop);
    }
  }

  select(name: string, matchers: readonly Matcher[], startMs: number, endMs: number): RangeSeries[] {
    let from = 0;
    while (from < this.#times.length && (this.#times[from] ?? 0) < startMs) from += 1;
    let to = from;
    while (to < this.#times.length && (this.#times[to] ?? 0) <= endMs) to += 1;
    const out: RangeSeries[] = [];
    for (const series of this.#series.values()) {
      if (series.name !== name || !matches(series.labels, matchers)) continue;
      const points: [number, number][] = [];
      for (let i = from; i < to; i += 1) {
        const value = series.values[i] ?? Number.NaN;
        if (!Number.isNaN(value)) points.push([this.#times[i] ?? 0, value]);
      }
      if (points.length > 0) out.push({ labels: series.labels, points });
    }
    return out;
  }
}

export type { SeriesSample };
export { SeriesHistory };
