import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadPipeline, mutatedPipeline, PIPELINE_DIR, REPO_ROOT } from './support/fixtures.ts';
import { isObject, resources, type TfModule } from './support/hcl.ts';
import { alarmMetrics, dashboardIngestaMetrics } from './support/sloAlarms.ts';

const catalogSchema = z.object({
  namespace: z.string(),
  metrics: z.array(z.object({ emf: z.array(z.object({ name: z.string() })) })),
});
const catalog = catalogSchema.parse(
  JSON.parse(readFileSync(join(REPO_ROOT, 'observability', 'metrics.json'), 'utf8')),
);
const EMF_NAMES = new Set(catalog.metrics.flatMap((metric) => metric.emf.map((emf) => emf.name)));

const SLO_ALARMS = ['slo_api_availability_burn', 'slo_api_latency_burn', 'slo_freshness_burn'] as const;

/** An HCL interpolation, spelled without a template placeholder in a TypeScript string. */
const interpolation = (expression: string): string => ['$', '{', expression, '}'].join('');

/** Metric names of the SLO alarms that are not EMF metrics of the contract, or not in its namespace. */
function offContract(module: TfModule): string[] {
  return alarmMetrics(module)
    .filter((metric) => (SLO_ALARMS as readonly string[]).includes(metric.alarm))
    .filter((metric) => metric.namespace !== catalog.namespace || !EMF_NAMES.has(String(metric.metricName)))
    .map((metric) => `${metric.alarm}: ${String(metric.namespace)}/${String(metric.metricName)}`);
}

/** The page thresholds of the Prometheus rule of an SLO: { "1h": 14.4 * budget, ... }. */
function prometheusPageThresholds(ruleFile: string): Record<string, number> {
  const ruleSchema = z.object({ expr: z.string(), labels: z.record(z.string(), z.string()).optional() });
  const rules = z
    .object({ groups: z.array(z.object({ rules: z.array(ruleSchema) })) })
    .parse(parse(readFileSync(join(REPO_ROOT, 'observability', 'prometheus', 'rules', ruleFile), 'utf8')));
  const page = rules.groups.flatMap((group) => group.rules).find((rule) => rule.labels?.severity === 'page');
  const thresholds: Record<string, number> = {};
  for (const match of String(page?.expr).matchAll(/rate(\w+) > \(([\d.]+) \* ([\d.]+)\)/g)) {
    thresholds[match[1] ?? ''] = Number(match[2]) * Number(match[3]);
  }
  return thresholds;
}

describe('SLO burn-rate alarms', () => {
  let pipeline: TfModule;

  beforeAll(async () => {
    pipeline = await loadPipeline();
  });

  it('exist for API availability, API latency and freshness, one per window, behind create_slo_alarms', () => {
    for (const name of SLO_ALARMS) {
      const alarm = resources(pipeline, 'aws_cloudwatch_metric_alarm').find((block) => block.name === name);

      expect(alarm?.body.for_each).toBe(interpolation('local.slo_alarm_windows'));
    }
    const windows = pipeline.locals.get('slo_burn_windows')?.value;
    expect(isObject(windows) ? Object.keys(windows).sort() : []).toEqual(['1h', '30m', '5m', '6h']);
    expect(pipeline.locals.get('slo_alarm_windows')?.value).toBe(
      interpolation('var.create_slo_alarms ? local.slo_burn_windows : {}'),
    );
  });

  it('read only contract metrics in the Ingesta namespace', () => {
    const metrics = alarmMetrics(pipeline).filter((metric) =>
      (SLO_ALARMS as readonly string[]).includes(metric.alarm),
    );

    expect(metrics.map((metric) => metric.metricName).sort()).toEqual([
      'ApiLatency',
      'ApiRequests',
      'EventAge',
    ]);
    expect(offContract(pipeline)).toEqual([]);
  });

  it('flag an alarm on a metric the code does not emit', async () => {
    const mutated = await mutatedPipeline('slo.tf', 'metric_name = "EventAge"', 'metric_name = "EventDelay"');

    expect(offContract(mutated)).toEqual(['slo_freshness_burn: Ingesta/EventDelay']);
  });

  it.each([
    ['api_availability', 'api-availability.yml'],
    ['api_latency', 'api-latency.yml'],
    ['freshness', 'freshness.yml'],
  ])('page %s at the thresholds the Prometheus rules use', (slo, ruleFile) => {
    const budgets = pipeline.locals.get('slo_error_budgets')?.value;
    const windows = pipeline.locals.get('slo_burn_windows')?.value;
    const budget = isObject(budgets) ? Number(budgets[slo]) : Number.NaN;
    const cloudwatch: Record<string, number> = {};
    for (const [window, settings] of Object.entries(isObject(windows) ? windows : {})) {
      if (isObject(settings)) cloudwatch[window] = Number(settings.burn_rate) * budget;
    }

    expect(cloudwatch).toEqual(prometheusPageThresholds(ruleFile));
  });

  it('measure latency as the Prometheus rule does: GET on both read routes, the share at or under 250 ms', () => {
    const routes = pipeline.locals.get('slo_latency_routes')?.value;
    const series = pipeline.locals.get('slo_latency_series')?.value;
    const rule = readFileSync(
      join(REPO_ROOT, 'observability', 'prometheus', 'rules', 'api-latency.yml'),
      'utf8',
    );
    const bucketMs = Number(/le="([\d.]+)"/.exec(rule)?.[1]) * 1000;
    const alarm = resources(pipeline, 'aws_cloudwatch_metric_alarm').find(
      (block) => block.name === 'slo_api_latency_burn',
    );

    expect(isObject(routes) ? Object.values(routes).sort() : []).toEqual(['/users', '/users/{id}']);
    expect(rule).toContain('route=~"/users.*", method="GET"');
    expect(JSON.stringify(series)).toContain(`PR(:${bucketMs})`);
    expect(JSON.stringify(series)).toContain('SampleCount');
    expect(JSON.stringify(alarm?.body.dynamic)).toContain('"method":"GET"');
  });

  it('page through a composite alarm per SLO that ANDs each long window with its short one', () => {
    const page = resources(pipeline, 'aws_cloudwatch_composite_alarm').find(
      (block) => block.name === 'slo_page',
    );
    const rule = String(page?.body.alarm_rule);

    expect(rule).toMatch(
      /\(ALARM\(\\"%s\\"\) AND ALARM\(\\"%s\\"\)\) OR \(ALARM\(\\"%s\\"\) AND ALARM\(\\"%s\\"\)\)/,
    );
    expect(rule.indexOf('["1h"]')).toBeLessThan(rule.indexOf('["5m"]'));
    expect(rule.indexOf('["5m"]')).toBeLessThan(rule.indexOf('["6h"]'));
    expect(rule.indexOf('["6h"]')).toBeLessThan(rule.indexOf('["30m"]'));
    expect(page?.body.alarm_actions).toBe(interpolation('local.alarm_actions'));
  });

  it('name a runbook that exists in their descriptions', () => {
    const runbooks = pipeline.locals.get('slo_runbooks')?.value;
    const paths = isObject(runbooks) ? Object.values(runbooks).map(String) : [];

    expect(paths).toHaveLength(3);
    for (const path of paths) expect(existsSync(join(REPO_ROOT, path))).toBe(true);
    const described = [
      ...resources(pipeline, 'aws_cloudwatch_metric_alarm'),
      ...resources(pipeline, 'aws_cloudwatch_composite_alarm'),
    ].filter((block) => block.name.startsWith('slo_'));
    expect(described).toHaveLength(4);
    for (const alarm of described)
      expect(String(alarm.body.alarm_description)).toMatch(/Runbook: \$\{local\.slo_runbooks/);
  });
});

describe('the CloudWatch dashboard', () => {
  const text = readFileSync(join(PIPELINE_DIR, 'dashboard.tf'), 'utf8');

  it('charts only Ingesta metrics of the contract, and all of them', () => {
    const charted = new Set(dashboardIngestaMetrics(text));

    expect([...charted].filter((name) => !EMF_NAMES.has(name))).toEqual([]);
    expect([...EMF_NAMES].filter((name) => !charted.has(name))).toEqual([]);
  });

  it('reader finds a misspelt metric', () => {
    expect(dashboardIngestaMetrics('[\n ["Ingesta", "ApiRequest", "service"],\n]')).toEqual(['ApiRequest']);
  });
});
