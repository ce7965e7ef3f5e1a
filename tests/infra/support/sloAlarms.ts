import { blocksOf, type HclObject, type HclValue, isObject, resources, type TfModule } from './hcl.ts';

/** One metric an alarm reads: from a metric_query's metric block, static or inside a dynamic block. */
interface AlarmMetric {
  readonly alarm: string;
  readonly namespace: HclValue | undefined;
  readonly metricName: HclValue | undefined;
}

function metricBlocks(queries: HclObject[]): HclObject[] {
  return queries.flatMap((query) => blocksOf(query.metric));
}

/** Metric blocks of an alarm, including those a dynamic "metric_query" generates. */
function alarmMetrics(module: TfModule, type = 'aws_cloudwatch_metric_alarm'): AlarmMetric[] {
  return resources(module, type).flatMap((alarm) => {
    const dynamic = isObject(alarm.body.dynamic) ? alarm.body.dynamic.metric_query : undefined;
    const generated = blocksOf(dynamic).flatMap((block) => blocksOf(block.content));
    return metricBlocks([...blocksOf(alarm.body.metric_query), ...generated]).map((metric) => ({
      alarm: alarm.name,
      namespace: metric.namespace,
      metricName: metric.metric_name,
    }));
  });
}

/** Metric names a dashboard file lists under the Ingesta namespace: ["Ingesta", "<name>", ...]. */
function dashboardIngestaMetrics(text: string): string[] {
  return [...text.matchAll(/\[\s*"Ingesta"\s*,\s*"([^"]+)"/g)].map((match) => match[1] ?? '');
}

export type { AlarmMetric };
export { alarmMetrics, dashboardIngestaMetrics };
