/**
 * The subset of PromQL the SLO rules and the console's charts use, evaluated over the samples the console
 * keeps: numbers, selectors with label matchers, `rate`/`increase` over a range, `sum [by (…)]`,
 * `histogram_quantile`, `+ - * /` and `or`. It follows Prometheus 2.x semantics (closed ranges,
 * extrapolated rates, one-to-one vector matching) so the page shows what Prometheus would compute from
 * the same rules on the same series; a unit test holds it against promtool.
 */

import { type BinaryOp, type Expr, type Matcher, PromqlSyntaxError } from './promqlParser.ts';

type Labels = Readonly<Record<string, string>>;
interface Sample {
  labels: Labels;
  value: number;
}
type Value = number | Sample[];

/** Samples of one series, oldest first: [epoch ms, value]. */
interface RangeSeries {
  labels: Labels;
  points: readonly (readonly [number, number])[];
}

/** Where the evaluator reads samples: every series named `name` matching `matchers`, within [start, end]. */
interface SeriesSource {
  select(name: string, matchers: readonly Matcher[], startMs: number, endMs: number): RangeSeries[];
}

const matches = (labels: Labels, matchers: readonly Matcher[]): boolean =>
  matchers.every(({ label, op, value }) => {
    const actual = labels[label] ?? '';
    if (op === '=') return actual === value;
    if (op === '!=') return actual !== value;
    const full = new RegExp(`^(?:${value})$`).test(actual);
    return op === '=~' ? full : !full;
  });

const keyOf = (labels: Labels, drop: readonly string[] = []): string =>
  JSON.stringify(
    Object.entries(labels)
      .filter(([name]) => name !== '__name__' && !drop.includes(name))
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );

/** Prometheus 2.x `extrapolatedRate` for counters: the increase over [start, end], extrapolated to its edges. */
const extrapolatedIncrease = (
  points: RangeSeries['points'],
  startMs: number,
  endMs: number,
): number | undefined => {
  const first = points[0];
  const last = points[points.length - 1];
  if (first === undefined || last === undefined || points.length < 2) return undefined;
  let result = last[1] - first[1];
  let previous = 0;
  for (const [, value] of points) {
    if (value < previous) result += previous; // a counter reset
    previous = value;
  }
  let toStart = (first[0] - startMs) / 1000;
  const toEnd = (endMs - last[0]) / 1000;
  const sampled = (last[0] - first[0]) / 1000;
  const average = sampled / (points.length - 1);
  if (result > 0 && first[1] >= 0) {
    const toZero = sampled * (first[1] / result);
    if (toZero < toStart) toStart = toZero;
  }
  const threshold = average * 1.1;
  let interval = sampled;
  interval += toStart < threshold ? toStart : average / 2;
  interval += toEnd < threshold ? toEnd : average / 2;
  return result * (interval / sampled);
};

/** Prometheus's `bucketQuantile`: linear interpolation inside the bucket holding the rank. */
const bucketQuantile = (q: number, buckets: { le: number; count: number }[]): number => {
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  buckets.sort((a, b) => a.le - b.le);
  if (buckets.length < 2 || buckets[buckets.length - 1]?.le !== Number.POSITIVE_INFINITY) return Number.NaN;
  for (let i = 1; i < buckets.length; i += 1) {
    const [prev, cur] = [buckets[i - 1], buckets[i]];
    if (prev && cur && cur.count < prev.count) cur.count = prev.count;
  }
  const observations = buckets[buckets.length - 1]?.count ?? 0;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  let b = buckets.findIndex((bucket) => bucket.count >= rank);
  if (b === -1 || b >= buckets.length - 1) b = buckets.length - 1;
  if (b === buckets.length - 1) return buckets[buckets.length - 2]?.le ?? Number.NaN;
  const bucket = buckets[b];
  if (bucket === undefined) return Number.NaN;
  if (b === 0 && bucket.le <= 0) return bucket.le;
  let start = 0;
  let count = bucket.count;
  const below = buckets[b - 1];
  if (below !== undefined) {
    start = below.le;
    count -= below.count;
    rank -= below.count;
  }
  return start + (bucket.le - start) * (rank / count);
};

const arithmetic = (op: Exclude<BinaryOp, 'or'>, a: number, b: number): number =>
  op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b;

interface EvaluateOptions {
  /**
   * Set to the epoch ms at which every counter was zero (the process start): `rate` and `increase` then
   * read the whole run from that moment, whatever their range says, with no extrapolation.
   */
  sinceMs?: number;
}

/** Evaluates `expr` at `atMs` over `source`: a scalar or an instant vector (empty when there is no data). */
const evaluate = (expr: Expr, source: SeriesSource, atMs: number, options: EvaluateOptions = {}): Value => {
  const run = (e: Expr): Value => {
    switch (e.kind) {
      case 'number':
        return e.value;
      case 'selector': {
        // An instant selector: the latest sample within Prometheus's 5-minute lookback.
        const series = source.select(e.name, e.matchers, atMs - 300_000, atMs);
        return series.flatMap((s) => {
          const last = s.points[s.points.length - 1];
          return last === undefined ? [] : [{ labels: { ...s.labels, __name__: e.name }, value: last[1] }];
        });
      }
      case 'call': {
        if (e.fn === 'histogram_quantile') {
          const [qExpr, vectorExpr] = e.args;
          const q = qExpr === undefined ? Number.NaN : run(qExpr);
          const vector = vectorExpr === undefined ? [] : run(vectorExpr);
          if (typeof q !== 'number' || typeof vector === 'number') return [];
          const groups = new Map<string, { labels: Labels; buckets: { le: number; count: number }[] }>();
          for (const { labels, value } of vector) {
            if (labels.le === undefined) continue;
            const key = keyOf(labels, ['le']);
            const { le: _le, __name__: _name, ...rest } = labels;
            const group = groups.get(key) ?? { labels: rest, buckets: [] };
            group.buckets.push({
              le: Number(labels.le === '+Inf' ? Number.POSITIVE_INFINITY : labels.le),
              count: value,
            });
            groups.set(key, group);
          }
          return [...groups.values()].map((g) => ({ labels: g.labels, value: bucketQuantile(q, g.buckets) }));
        }
        const selector = e.args[0];
        if (selector?.kind !== 'selector' || selector.rangeMs === undefined)
          throw new PromqlSyntaxError(`${e.fn} needs a range selector`, JSON.stringify(e));
        const rangeMs = selector.rangeMs;
        const startMs = options.sinceMs ?? atMs - rangeMs;
        return source.select(selector.name, selector.matchers, startMs, atMs).flatMap((s) => {
          const { __name__: _name, ...labels } = s.labels;
          if (options.sinceMs !== undefined) {
            const last = s.points[s.points.length - 1];
            if (last === undefined) return [];
            const seconds = (atMs - options.sinceMs) / 1000;
            return [{ labels, value: e.fn === 'rate' ? last[1] / seconds : last[1] }];
          }
          const increase = extrapolatedIncrease(s.points, startMs, atMs);
          if (increase === undefined) return [];
          return [{ labels, value: e.fn === 'rate' ? increase / (rangeMs / 1000) : increase }];
        });
      }
      case 'sum': {
        const vector = run(e.expr);
        if (typeof vector === 'number') return vector;
        const groups = new Map<string, Sample>();
        for (const { labels, value } of vector) {
          const kept = Object.fromEntries(
            (e.by ?? []).flatMap((l) => (labels[l] === undefined ? [] : [[l, labels[l]]])),
          );
          const key = keyOf(kept);
          const group = groups.get(key);
          if (group === undefined) groups.set(key, { labels: kept, value });
          else group.value += value;
        }
        return [...groups.values()];
      }
      case 'binary': {
        const lhs = run(e.lhs);
        const rhs = run(e.rhs);
        if (e.op === 'or') {
          if (typeof lhs === 'number' || typeof rhs === 'number')
            throw new PromqlSyntaxError('or needs two vectors', JSON.stringify(e));
          const left = new Set(lhs.map((s) => keyOf(s.labels)));
          return [...lhs, ...rhs.filter((s) => !left.has(keyOf(s.labels)))];
        }
        const op = e.op;
        if (typeof lhs === 'number' && typeof rhs === 'number') return arithmetic(op, lhs, rhs);
        const strip = ({ __name__: _name, ...labels }: Labels): Labels => labels;
        if (typeof lhs === 'number')
          return (rhs as Sample[]).map((s) => ({
            labels: strip(s.labels),
            value: arithmetic(op, lhs, s.value),
          }));
        if (typeof rhs === 'number')
          return lhs.map((s) => ({ labels: strip(s.labels), value: arithmetic(op, s.value, rhs) }));
        const right = new Map(rhs.map((s) => [keyOf(s.labels), s.value]));
        return lhs.flatMap((s) => {
          const other = right.get(keyOf(s.labels));
          return other === undefined
            ? []
            : [{ labels: strip(s.labels), value: arithmetic(op, s.value, other) }];
        });
      }
    }
  };
  return run(expr);
};

/** The single value of a result, or null when it is empty or not a finite number (no traffic yet). */
const singleValue = (value: Value): number | null => {
  const n = typeof value === 'number' ? value : value[0]?.value;
  return n === undefined || !Number.isFinite(n) ? null : n;
};

export type { EvaluateOptions, Labels, RangeSeries, SeriesSource, Value };
export { evaluate, matches, singleValue };
