/** One home for metric names, shared by the EMF and Prometheus adapters (see observability/metrics.json). */
const EmfMetric = {
  apiRequests: 'ApiRequests',
  apiLatency: 'ApiLatency',
  recordsWritten: 'RecordsWritten',
  recordsUnchanged: 'RecordsUnchanged',
  recordsFailed: 'RecordsFailed',
  batches: 'Batches',
  batchDuration: 'BatchDuration',
  eventAge: 'EventAge',
} as const;

const EMF_NAMESPACE = 'Ingesta';

const PromMetric = {
  apiRequests: 'ingesta_api_requests_total',
  apiDuration: 'ingesta_api_request_duration_seconds',
  records: 'ingesta_subscriber_records_total',
  batches: 'ingesta_subscriber_batches_total',
  batchDuration: 'ingesta_subscriber_batch_duration_seconds',
  eventAge: 'ingesta_event_age_seconds',
  queueMessages: 'ingesta_queue_messages',
} as const;

const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;

export { EMF_NAMESPACE, EmfMetric, PromMetric, statusClass };
