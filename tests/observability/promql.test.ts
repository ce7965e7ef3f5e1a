import { describe, expect, it } from 'vitest';
import { isKnownSeries, loadCatalog } from './support/metricsCatalog.ts';
import { labelDroppedBy, metricNames, selectorsWithout, withoutGrafanaVariables } from './support/promql.ts';

describe('metric names in PromQL', () => {
  it('keeps series and drops functions, keywords, labels, strings and durations', () => {
    const expr = `sum by (route, le) (rate(ingesta_api_request_duration_seconds_bucket{route=~"/users.*", le="0.25"}[5m]))
      / on () group_left sum(rate(ingesta_api_request_duration_seconds_count[5m] offset 1h)) > bool 0.5
      or vector(0) unless slo:api_latency:error_ratio_rate5m`;

    expect(metricNames(expr)).toEqual([
      'ingesta_api_request_duration_seconds_bucket',
      'ingesta_api_request_duration_seconds_count',
      'slo:api_latency:error_ratio_rate5m',
    ]);
  });

  it('finds a bare selector with matchers', () => {
    expect(metricNames('up{job="ingesta"} == 0')).toEqual(['up']);
  });

  it('turns Grafana variables into something promtool parses', () => {
    expect(withoutGrafanaVariables('rate(x{route=~"$route"}[$__rate_interval])')).toBe(
      'rate(x{route=~"route"}[5m])',
    );
  });
});

describe('the contract check', () => {
  const catalog = loadCatalog();

  it.each([
    ['a contract counter', 'ingesta_api_requests_total', true],
    ['a histogram bucket', 'ingesta_event_age_seconds_bucket', true],
    ['a process default', 'process_resident_memory_bytes', true],
    ['the scrape health', 'up', true],
    ['a misspelt counter', 'ingesta_api_request_total', false],
    ['a histogram without suffix', 'ingesta_event_age_seconds', false],
    ['a counter with a histogram suffix', 'ingesta_api_requests_total_count', false],
  ])('judges %s', (_case, name, known) => {
    expect(isKnownSeries(catalog, name)).toBe(known);
  });
});

describe('the per-system check', () => {
  it('accepts aggregations and matching that keep service', () => {
    const expr = `sum by (service, queue) (x) > 0 unless on (service) max by (le, service) (rate(y[5m]))
      or label_replace(z, "slo", "a", "", "") / ignoring (le) w`;

    expect(labelDroppedBy(expr)).toEqual([]);
  });

  it('flags an aggregation across systems, a grouping without service and matching that ignores it', () => {
    const expr = `sum(rate(x{route="sum(by)"}[5m])) / sum by (route) (y) unless on () count without (le) (z)
      or a / ignoring (service) b`;

    expect(labelDroppedBy(expr)).toEqual([
      'sum(',
      'sum by (route) (',
      'count without (le) (',
      'on ()',
      'ignoring (service)',
    ]);
  });
});

describe('the variable check', () => {
  it('finds every series selector that ignores the System variable', () => {
    const expr = `sum by (service) (rate(a_total{service=~"$service", le="1"}[5m])) / b_total{le="1"} + c:d:e`;

    expect(selectorsWithout(expr, 'service=~"$service"')).toEqual(['b_total{le="1"}', 'c:d:e']);
  });
});
