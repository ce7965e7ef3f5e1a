import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { PromMetric } from '#shared/metrics/metricNames.ts';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import type { LocalQueue } from './localQueue.ts';

interface LocalMetrics {
  registry: Registry;
  pipeline: PrometheusPipelineMetrics;
}

/**
 * The local runtime's Prometheus registry: pipeline metrics, queue depths read at scrape time
 * (what CloudWatch's SQS metrics show in AWS), and Node's process metrics.
 */
const createLocalMetrics = (queues: readonly LocalQueue[]): LocalMetrics => {
  const registry = new Registry();
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

export type { LocalMetrics };
export { createLocalMetrics };
