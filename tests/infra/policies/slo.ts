import { blocksOf, type HclValue, isObject, resources, type TfBlock, type TfModule } from '../support/hcl.ts';
import { expandedReferences, violation } from './helpers.ts';
import type { Policy, Violation } from './types.ts';

/** What each SLO's burn-rate alarm must read: the EMF metric and a statistic that yields its good-event share. */
const SLO_SIGNALS = [
  { slo: 'API availability', metric: 'ApiRequests', stat: /^Sum$/, reads: 'Sum' },
  { slo: 'API latency', metric: 'ApiLatency', stat: /^PR\(:\d+\)$/, reads: 'a percentile rank, PR(:<ms>)' },
  { slo: 'freshness', metric: 'EventAge', stat: /^PR\(:\d+\)$/, reads: 'a percentile rank, PR(:<ms>)' },
] as const;

/** The multiwindow pairs of the SRE workbook: period in seconds and burn rate of each window. */
const WINDOWS: Readonly<Record<string, { period: number; burnRate: number }>> = {
  '5m': { period: 300, burnRate: 14.4 },
  '1h': { period: 3600, burnRate: 14.4 },
  '30m': { period: 1800, burnRate: 6 },
  '6h': { period: 21600, burnRate: 6 },
};

const localNames = (value: HclValue | undefined): string[] =>
  [...JSON.stringify(value ?? null).matchAll(/local\.([A-Za-z0-9_]+)/g)].map((match) => match[1] ?? '');

/** Metric blocks of an alarm, with the statistics each may take (a dynamic block's stats come from its for_each). */
function alarmReads(
  module: TfModule,
  alarm: TfBlock,
): { namespace: string; metric: string; stats: string[] }[] {
  const dynamic = isObject(alarm.body.dynamic) ? alarm.body.dynamic.metric_query : undefined;
  const generated = blocksOf(dynamic).flatMap((block) =>
    blocksOf(block.content).map((content) => ({ content, forEach: block.for_each })),
  );
  const queries = [
    ...blocksOf(alarm.body.metric_query).map((content) => ({ content, forEach: undefined })),
    ...generated,
  ];
  return queries.flatMap(({ content, forEach }) =>
    blocksOf(content.metric).map((metric) => {
      const stat = String(metric.stat ?? '');
      const fromLocals = stat.includes('metric_query.value')
        ? localNames(forEach).flatMap((name) =>
            [
              ...JSON.stringify(module.locals.get(name)?.value ?? null).matchAll(
                /stat\s*=\s*\\"([^\\]+)\\"/g,
              ),
            ].map((match) => match[1] ?? ''),
          )
        : [stat];
      return { namespace: String(metric.namespace), metric: String(metric.metric_name), stats: fromLocals };
    }),
  );
}

/** The burn windows an alarm's for_each expands to, following locals (`local.a` → `x ? local.b : {}` → {...}). */
function windowsOf(module: TfModule, forEach: HclValue | undefined): Record<string, HclValue> | undefined {
  const seen = new Set<string>();
  const queue = localNames(forEach);
  while (queue.length > 0) {
    const name = queue.shift() ?? '';
    if (seen.has(name)) continue;
    seen.add(name);
    const value = module.locals.get(name)?.value;
    if (isObject(value) && Object.keys(value).length > 0) return value;
    queue.push(...localNames(value));
  }
  return undefined;
}

function windowProblems(windows: Record<string, HclValue> | undefined): string[] {
  if (windows === undefined)
    return ['does not run once per burn window (for_each over the 5m, 1h, 30m and 6h windows)'];
  return Object.entries(WINDOWS).flatMap(([name, expected]) => {
    const actual = windows[name];
    if (!isObject(actual)) return [`has no ${name} window`];
    const period = Number(actual.period);
    const burnRate = Number(actual.burn_rate);
    return period === expected.period && burnRate === expected.burnRate
      ? []
      : [`${name} window must be period ${expected.period} at burn rate ${expected.burnRate}`];
  });
}

const sloBurnRatePages: Policy = {
  id: 'slo-burn-rate-pages',
  title: 'Every SLO (availability, latency, freshness) pages on a multiwindow burn rate of its EMF metric',
  async check(module: TfModule) {
    const out: Violation[] = [];
    const alarms = resources(module, 'aws_cloudwatch_metric_alarm');
    const composites = resources(module, 'aws_cloudwatch_composite_alarm');
    for (const signal of SLO_SIGNALS) {
      const alarm = alarms.find((candidate) =>
        alarmReads(module, candidate).some(
          (read) =>
            read.namespace === 'Ingesta' &&
            read.metric === signal.metric &&
            read.stats.some((stat) => signal.stat.test(stat)),
        ),
      );
      if (alarm === undefined) {
        out.push(
          violation(
            this.id,
            `the ${signal.slo} SLO`,
            `needs a burn-rate alarm on Ingesta/${signal.metric} by ${signal.reads}`,
          ),
        );
        continue;
      }
      for (const problem of windowProblems(windowsOf(module, alarm.body.for_each))) {
        out.push(violation(this.id, alarm, problem));
      }
      if (!String(alarm.body.threshold).includes('each.value.burn_rate')) {
        out.push(violation(this.id, alarm, 'threshold must be the window burn rate times the error budget'));
      }
      let paged = false;
      for (const composite of composites) {
        const references = await expandedReferences(module, composite.body.alarm_rule);
        const notifies = composite.body.alarm_actions !== undefined && composite.body.alarm_actions !== '[]';
        if (notifies && references.includes(`aws_cloudwatch_metric_alarm.${alarm.name}`)) paged = true;
      }
      if (!paged)
        out.push(violation(this.id, alarm, 'needs a composite alarm that pairs its windows and notifies'));
    }
    return out;
  },
};

export { sloBurnRatePages };
