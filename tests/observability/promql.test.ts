import { describe, expect, it } from 'vitest';
import { isKnownSeries, loadCatalog } from './support/metricsCatalog.ts';
import { metricNames, withoutGrafanaVariables } from './support/promql.ts';

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
