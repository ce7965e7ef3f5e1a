import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { type ApiHandler, createApiHandler } from '#api/createApiHandler.ts';
import type { LogLevel } from '#shared/config/runtimeConfig.ts';
import { DEFAULT_IDEMPOTENCY_POLICY, type IdempotencyPolicy } from '#shared/domain/idempotency.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { migrate } from '#shared/store/migrate.ts';
import { migrations } from '#shared/store/migrations/index.ts';
import type { SqlExecutor } from '#shared/store/sqlExecutor.ts';
import { SqlIdempotencyStore } from '#shared/store/sqlIdempotencyStore.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { createSubscriberHandler, type SubscriberHandler } from '#subscriber/createSubscriberHandler.ts';
import type { LocalLambdaOptions } from './aws/lambda/pipelineFunctions.ts';
import { createLocalMetrics, type LocalMetrics } from './localMetrics.ts';
import { LocalQueue } from './localQueue.ts';
import { LocalTopic } from './localTopic.ts';
import { LocalTopicPublisher } from './localTopicPublisher.ts';
import { type LocalDatabaseOptions, openLocalDatabase } from './openLocalDatabase.ts';
import { ensureQueueSchema } from './queueSchema.ts';
import { type BatchReport, SqsEventSource } from './sqsEventSource.ts';

interface LocalPipelineOptions extends LocalDatabaseOptions {
  /** Reported by /health. */
  version?: string;
  batchSize?: number;
  batchingWindowMs?: number;
  visibilityTimeoutMs?: number;
  maxReceiveCount?: number;
  rawMessageDelivery?: boolean;
  maxQueueMessages?: number;
  logLevel?: LogLevel;
  /** `service` label on every metric series (default `ingesta`). */
  serviceName?: string;
  idempotency?: IdempotencyPolicy;
  onBatch?: (report: BatchReport) => void;
  /** The AWS endpoint's Lambda service: timeouts, extra deployable builds. */
  lambda?: LocalLambdaOptions;
}

interface LocalPipeline {
  apiHandler: ApiHandler;
  subscriberHandler: SubscriberHandler;
  topic: LocalTopic;
  queue: LocalQueue;
  dlq: LocalQueue;
  eventSource: SqsEventSource;
  metrics: LocalMetrics;
  db: SqlExecutor;
  databaseDescription: string;
  appliedMigrations: string[];
  lambda: LocalLambdaOptions;
  close(): Promise<void>;
}

/** The queue and its DLQ, in the same database as the users, so a 202 means the event is on disk. */
const openQueues = async (db: SqlExecutor, options: LocalPipelineOptions) => {
  await ensureQueueSchema(db);
  const dlq = await LocalQueue.open(db, {
    name: 'ingesta-users-dlq',
    visibilityTimeoutMs: 30_000,
    maxMessages: options.maxQueueMessages ?? 100_000,
  });
  const queue = await LocalQueue.open(db, {
    name: 'ingesta-users',
    visibilityTimeoutMs: options.visibilityTimeoutMs ?? 30_000,
    maxMessages: options.maxQueueMessages ?? 100_000,
    redrive: { deadLetterQueue: dlq, maxReceiveCount: options.maxReceiveCount ?? 5 },
  });
  return { queue, dlq };
};

/**
 * Builds the whole pipeline in one process with local adapters: the same handler factories the
 * Lambda entries use, a PGlite or PostgreSQL store, and a topic → queue (+DLQ) with SQS semantics.
 */
const createLocalPipeline = async (options: LocalPipelineOptions = {}): Promise<LocalPipeline> => {
  const { db, description, migrations: report } = await openLocalDatabase(options);
  const { queue, dlq } = await openQueues(db, options).catch(async (error: unknown) => {
    await db.close().catch(() => {});
    throw error;
  });
  const store = new SqlUserStore(db);
  const logLevel = options.logLevel ?? 'WARN';

  const topic = new LocalTopic({ name: 'ingesta-users' });
  topic.subscribe(queue, { rawMessageDelivery: options.rawMessageDelivery ?? false });
  const metrics = createLocalMetrics([queue, dlq], { service: options.serviceName ?? 'ingesta' });

  const apiLogger: Logger = createLogger('ingesta-api', logLevel);
  const apiHandler = createApiHandler({
    store,
    publisher: new LocalTopicPublisher(topic),
    idempotency: {
      store: new SqlIdempotencyStore(db),
      policy: options.idempotency ?? DEFAULT_IDEMPOTENCY_POLICY,
    },
    logger: apiLogger,
    metrics: metrics.pipeline,
    version: options.version ?? 'local',
  });
  const subscriberHandler = createSubscriberHandler({
    store,
    logger: createLogger('ingesta-suscriptor', logLevel),
    metrics: metrics.pipeline,
    migrate: () => migrate(db, migrations),
    // The DLQ listing shows why each message failed.
    onRecordFailure: (failure) => eventSource.recordFailure(failure.id, failure.reason),
  });

  const eventSource = new SqsEventSource({
    queue,
    invoke: (event: unknown, context: Context) => subscriberHandler(event, context),
    functionName: 'ingesta-suscriptor',
    batchSize: options.batchSize ?? 10,
    batchingWindowMs: options.batchingWindowMs ?? 0,
    idlePollMs: 200,
    ...(options.onBatch !== undefined && { onBatch: options.onBatch }),
  });

  return {
    apiHandler,
    subscriberHandler,
    topic,
    queue,
    dlq,
    eventSource,
    metrics,
    db,
    databaseDescription: description,
    appliedMigrations: report.applied,
    lambda: options.lambda ?? {},
    close: async () => {
      await eventSource.stop();
      await db.close();
    },
  };
};

export type { LocalPipeline, LocalPipelineOptions };
export { createLocalPipeline };
