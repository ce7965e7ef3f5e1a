import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { METRICS_PATH } from './paths.ts';

const emfMetricSchema = z.object({
  name: z.string().min(1),
  unit: z.string().min(1),
  dimensions: z.array(z.string()),
});

const metricSchema = z.object({
  prometheus: z.string().regex(/^ingesta_[a-z_]+$/),
  type: z.enum(['counter', 'gauge', 'histogram']),
  labels: z.array(z.string()),
  buckets: z.array(z.number()).optional(),
  localOnly: z.boolean().optional(),
  emf: z.array(emfMetricSchema),
});

const catalogSchema = z.object({
  namespace: z.string().min(1),
  metrics: z.array(metricSchema).min(1),
  emfServices: z.object({ api: z.string(), subscriber: z.string() }),
  commonLabels: z.array(z.string()),
  labelValues: z.record(z.string(), z.union([z.array(z.string()), z.object({ pattern: z.string() })])),
  standardPrefixes: z.array(z.string()),
  scrapeMetrics: z.array(z.string()),
});

type MetricsCatalog = z.infer<typeof catalogSchema>;
type CatalogMetric = z.infer<typeof metricSchema>;

function loadCatalog(path = METRICS_PATH): MetricsCatalog {
  return catalogSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** Series names Prometheus stores for a metric: a histogram is its _bucket, _sum and _count series. */
function seriesNames(metric: CatalogMetric): string[] {
  if (metric.type !== 'histogram') return [metric.prometheus];
  return ['_bucket', '_sum', '_count'].map((suffix) => `${metric.prometheus}${suffix}`);
}

/** Whether a series name may appear in a query: the contract, the scrape's own series, or process/node defaults. */
function isKnownSeries(
  catalog: MetricsCatalog,
  name: string,
  extra: ReadonlySet<string> = new Set(),
): boolean {
  if (extra.has(name) || catalog.scrapeMetrics.includes(name)) return true;
  if (catalog.standardPrefixes.some((prefix) => name.startsWith(prefix))) return true;
  return catalog.metrics.some((metric) => seriesNames(metric).includes(name));
}

function emfNames(catalog: MetricsCatalog): string[] {
  return catalog.metrics.flatMap((metric) => metric.emf.map((emf) => emf.name));
}

export type { CatalogMetric, MetricsCatalog };
export { emfNames, isKnownSeries, loadCatalog, seriesNames };
