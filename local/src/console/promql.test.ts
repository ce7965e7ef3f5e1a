import { describe, expect, it } from 'vitest';
import { evaluate, singleValue } from './promql.ts';
import { PromqlSyntaxError, parsePromql } from './promqlParser.ts';
import { SeriesHistory } from './seriesHistory.ts';

/** One histogram of request durations: `le` buckets at t = 0 s and t = 60 s. */
const history = () => {
  const h = new SeriesHistory(100);
  const buckets = (counts: number[]) =>
    ['0.1', '0.25', '1', '+Inf'].map((le, i) => ({
      name: 'd_bucket',
      labels: { service: 's', route: '/users', le },
      value: counts[i] ?? 0,
    }));
  h.add(0, [...buckets([0, 0, 0, 0]), { name: 'c', labels: { service: 's', status: '200' }, value: 0 }]);
  h.add(60_000, [
    ...buckets([50, 90, 98, 100]),
    { name: 'c', labels: { service: 's', status: '200' }, value: 60 },
  ]);
  return h;
};

const at = (expr: string, ms = 60_000, h = history()) => singleValue(evaluate(parsePromql(expr), h, ms));

describe('the console PromQL subset', () => {
  it('interpolates histogram_quantile inside the bucket holding the rank, as Prometheus does', () => {
    expect(at('histogram_quantile(0.5, sum by (le) (rate(d_bucket[1m])))')).toBeCloseTo(0.1, 10);
    // Rank 95 of 100: between 90 (le 0.25) and 98 (le 1), 5/8 of the way.
    expect(at('histogram_quantile(0.95, sum by (le) (rate(d_bucket[1m])))')).toBeCloseTo(
      0.25 + 0.75 * (5 / 8),
      10,
    );
    // In the +Inf bucket: the highest finite bound.
    expect(at('histogram_quantile(0.99, sum by (le) (rate(d_bucket[1m])))')).toBe(1);
  });

  it('matches vectors on their labels, and `or` fills in what the left side lacks', () => {
    expect(at('sum by (service) (rate(c{status=~"5.."}[1m]))')).toBeNull();
    expect(
      at(
        '(sum by (service) (rate(c{status=~"5.."}[1m])) or 0 * sum by (service) (rate(c[1m]))) / sum by (service) (rate(c[1m]))',
      ),
    ).toBe(0);
    expect(
      at(
        '1 - sum by (service) (rate(d_bucket{le="0.25"}[1m])) / sum by (service) (rate(d_bucket{le="+Inf"}[1m]))',
      ),
    ).toBeCloseTo(0.1, 10);
  });

  it('reads a whole run from a start when every counter was zero, without extrapolation', () => {
    const value = evaluate(parsePromql('sum(increase(c[5m]))'), history(), 60_000, { sinceMs: 0 });
    expect(singleValue(value)).toBe(60);
  });

  it('has no rate from a single sample', () => {
    expect(at('sum(rate(c[1m]))', 0)).toBeNull();
  });

  it('refuses what it does not support, loudly, rather than compute something else', () => {
    expect(() => parsePromql('max by (service) (rate(c[5m]))')).toThrow(PromqlSyntaxError);
    expect(() => parsePromql('rate(c[5m]) > 0')).toThrow(PromqlSyntaxError);
    expect(() => parsePromql('sum(rate(c[5m])')).toThrow(PromqlSyntaxError);
  });
});
