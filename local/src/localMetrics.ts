import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { PromMetric } from '#shared/metrics/metricNames.ts';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import type { LocalQueue } from './localQueue.ts';

/** What the metrics read of a queue: its name and its depths at scrape time. */
type QueueDepths = Pick<LocalQueue, 'name' | 'stats'>;

interface LocalMetrics {
  registry: Registry;
  pipeline: PrometheusPipelineMetrics;
}

interface LocalMetricsOptions {
  /** The system's name, a label on every series: one Prometheus can scrape many systems apart. */
  service: string;
}

/**
 * The local runtime's Prometheus registry: pipeline metrics, queue depths read at scrape time
 * (what CloudWatch's SQS metrics show in AWS), and Node's process metrics, all labelled with `service`.
 */
const createLocalMetrics = (
  queues: readonly QueueDepths[],
  { service }: LocalMetricsOptions,
): LocalMetrics => {
  const registry = new Registry();
  // A default label reaches every series, the process and Node defaults included.
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: PromMetric.queueMessages,
    help: 'Messages in each local queue, by state (visible or in flight).',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const queue of queues) {
        const stats = await queue.stats();
        this.set({ queue: queue.name, state: 'visible' }, stats.visible);
        this.set({ queue: queue.name, state: 'in_flight' }, stats.inFlight);
      }
    },
  });
  return { registry, pipeline: new PrometheusPipelineMetrics(registry) };
};

export type { LocalMetrics, LocalMetricsOptions, QueueDepths };
export { createLocalMetrics };
