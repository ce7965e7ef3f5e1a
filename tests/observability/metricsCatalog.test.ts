import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { EMF_NAMESPACE, EmfMetric, PromMetric } from '#shared/metrics/metricNames.ts';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import { emfNames, loadCatalog } from './support/metricsCatalog.ts';
import { README_PATH } from './support/paths.ts';

const catalog = loadCatalog();

/** Names in backticks in the body rows of the README's "## Metrics" table: ingesta_* and the EMF names. */
function readmeMetricNames(readme: string): { prometheus: string[]; emf: string[] } {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Metrics\n')) ?? '';
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2);
  const names = rows.flatMap((row) => [...row.matchAll(/`([A-Za-z_]+)`/g)].map((match) => match[1] ?? ''));
  return {
    prometheus: [...new Set(names.filter((name) => name.startsWith('ingesta_')))].sort(),
    emf: [...new Set(names.filter((name) => /^[A-Z][a-z]+[A-Za-z]*$/.test(name)))].sort(),
  };
}

describe('observability/metrics.json', () => {
  it('names the metrics the code emits, in both backends', () => {
    expect(catalog.metrics.map((metric) => metric.prometheus).sort()).toEqual(
      Object.values(PromMetric).sort(),
    );
    expect(emfNames(catalog).sort()).toEqual(Object.values(EmfMetric).sort());
    expect(catalog.namespace).toBe(EMF_NAMESPACE);
  });

  it('matches the names, types, labels and buckets the Prometheus adapter registers', async () => {
    const registry = new Registry();
    const pipeline = new PrometheusPipelineMetrics(registry);
    // Labelled histograms list their buckets only once a series exists.
    pipeline.apiRequest({ route: '/users', method: 'GET', status: 200, durationMs: 3 });

    const registered = await registry.getMetricsAsJSON();

    for (const metric of catalog.metrics.filter((candidate) => !candidate.localOnly)) {
      const found = registered.find((candidate) => candidate.name === metric.prometheus);
      expect(found?.type, metric.prometheus).toBe(metric.type);
      if (metric.buckets) {
        const bounds = found?.values
          .map((value) => value.labels.le)
          .filter((le): le is number => typeof le === 'number');
        expect(bounds, metric.prometheus).toEqual(metric.buckets);
      }
    }
  });

  it('has the bucket boundaries the SLOs read exactly (0.25 s latency, 60 s freshness)', () => {
    const buckets = (name: string) => catalog.metrics.find((metric) => metric.prometheus === name)?.buckets;

    expect(buckets(PromMetric.apiDuration)).toContain(0.25);
    expect(buckets(PromMetric.eventAge)).toContain(60);
  });
});

describe('observability/README.md', () => {
  const listed = readmeMetricNames(readFileSync(README_PATH, 'utf8'));

  it('lists the same Prometheus metrics as metrics.json', () => {
    expect(listed.prometheus).toEqual(catalog.metrics.map((metric) => metric.prometheus).sort());
  });

  it('lists the same EMF metrics as metrics.json', () => {
    expect(listed.emf).toEqual(emfNames(catalog).sort());
  });

  it('reader takes names from the body rows of the Metrics table only', () => {
    const readme = [
      '## Metrics',
      '| Prometheus | EMF (`Ingesta`) |',
      '| --- | --- |',
      '| `ingesta_api_requests_total` | `ApiRequests` |',
      '## Next',
      '| `ingesta_other` | `Other` |',
    ].join('\n');

    expect(readmeMetricNames(readme)).toEqual({
      prometheus: ['ingesta_api_requests_total'],
      emf: ['ApiRequests'],
    });
  });
});
