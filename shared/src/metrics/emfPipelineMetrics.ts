import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ApiRequestMeasurement, BatchMeasurement, PipelineMetrics } from '../domain/ports.ts';
import { EmfMetric, statusClass } from './metricNames.ts';

/**
 * CloudWatch Embedded Metric Format through Powertools Metrics. Metrics with their own dimensions
 * (route, status class, result) go out as single metrics; the rest are buffered until flush().
 */
class EmfPipelineMetrics implements PipelineMetrics {
  readonly #metrics: Metrics;
  /**
   * One single-metric emitter per dimension set, made on first use: Powertools' singleMetric() builds a
   * whole Metrics object per call, which cost more than the rest of a batch's metrics. The sets are few
   * (route templates × status classes or methods; batch results).
   */
  readonly #single = new Map<string, Metrics>();

  /** `metrics` is built by the caller with the namespace and service name. */
  constructor(metrics: Metrics) {
    this.#metrics = metrics;
  }

  #with(dimensions: Record<string, string>): Metrics {
    const key = JSON.stringify(dimensions);
    let single = this.#single.get(key);
    if (single === undefined) {
      single = this.#metrics.singleMetric();
      single.setDefaultDimensions(dimensions);
      this.#single.set(key, single);
    }
    return single;
  }

  apiRequest({ route, method, status, durationMs }: ApiRequestMeasurement): void {
    this.#with({ route, statusClass: statusClass(status) }).addMetric(
      EmfMetric.apiRequests,
      MetricUnit.Count,
      1,
    );
    this.#with({ route, method }).addMetric(EmfMetric.apiLatency, MetricUnit.Milliseconds, durationMs);
  }

  subscriberBatch(m: BatchMeasurement): void {
    this.#with({ result: m.result }).addMetric(EmfMetric.batches, MetricUnit.Count, 1);
    this.#metrics.addMetric(EmfMetric.recordsWritten, MetricUnit.Count, m.written);
    this.#metrics.addMetric(EmfMetric.recordsUnchanged, MetricUnit.Count, m.unchanged);
    this.#metrics.addMetric(EmfMetric.recordsFailed, MetricUnit.Count, m.failed);
    this.#metrics.addMetric(EmfMetric.batchDuration, MetricUnit.Milliseconds, m.durationMs);
    for (const age of m.eventAgesMs)
      this.#metrics.addMetric(EmfMetric.eventAge, MetricUnit.Milliseconds, age);
  }

  flush(): void {
    // API invocations only emit single metrics; publishing an empty buffer would log a warning each time.
    if (this.#metrics.hasStoredMetrics()) this.#metrics.publishStoredMetrics();
  }
}

export { EmfPipelineMetrics };
