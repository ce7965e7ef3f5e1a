import { Counter, Histogram, type Registry } from 'prom-client';
import type { ApiRequestMeasurement, BatchMeasurement, PipelineMetrics } from '../domain/ports.ts';
import { PromMetric } from './metricNames.ts';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const BATCH_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const AGE_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];

/** Prometheus adapter (prom-client) for long-running processes: the local runtime exposes it. */
class PrometheusPipelineMetrics implements PipelineMetrics {
  readonly #requests: Counter<'route' | 'method' | 'status'>;
  readonly #latency: Histogram<'route' | 'method'>;
  readonly #records: Counter<'outcome'>;
  readonly #batches: Counter<'result'>;
  readonly #batchDuration: Histogram;
  readonly #eventAge: Histogram;

  /** Registers its metrics in `registry`, which the caller owns and serves; its default labels (`service`) reach every series. */
  constructor(registry: Registry) {
    const registers = [registry];
    this.#requests = new Counter({
      name: PromMetric.apiRequests,
      help: 'API requests by route template, method and status code.',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.#latency = new Histogram({
      name: PromMetric.apiDuration,
      help: 'API request duration in seconds.',
      labelNames: ['route', 'method'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#records = new Counter({
      name: PromMetric.records,
      help: 'Subscriber records by outcome: written, unchanged (duplicate or older), failed.',
      labelNames: ['outcome'],
      registers,
    });
    this.#batches = new Counter({
      name: PromMetric.batches,
      help: 'Subscriber batches by result: ok, partial (some records failed), error (the handler threw).',
      labelNames: ['result'],
      registers,
    });
    this.#batchDuration = new Histogram({
      name: PromMetric.batchDuration,
      help: 'Subscriber batch duration in seconds.',
      buckets: BATCH_BUCKETS,
      registers,
    });
    this.#eventAge = new Histogram({
      name: PromMetric.eventAge,
      help: 'Seconds from an event being accepted (occurredAt) to it being in the database.',
      buckets: AGE_BUCKETS,
      registers,
    });
    // Start every series at zero so rates exist before the first failure.
    for (const outcome of ['written', 'unchanged', 'failed']) this.#records.inc({ outcome }, 0);
    for (const result of ['ok', 'partial', 'error']) this.#batches.inc({ result }, 0);
  }

  apiRequest({ route, method, status, durationMs }: ApiRequestMeasurement): void {
    this.#requests.inc({ route, method, status: String(status) });
    this.#latency.observe({ route, method }, durationMs / 1000);
  }

  subscriberBatch(m: BatchMeasurement): void {
    this.#records.inc({ outcome: 'written' }, m.written);
    this.#records.inc({ outcome: 'unchanged' }, m.unchanged);
    this.#records.inc({ outcome: 'failed' }, m.failed);
    this.#batches.inc({ result: m.result });
    this.#batchDuration.observe(m.durationMs / 1000);
    for (const age of m.eventAgesMs) this.#eventAge.observe(Math.max(0, age) / 1000);
  }

  flush(): void {
    // Scraped, not pushed.
  }
}

export { PrometheusPipelineMetrics };
