import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { DeadlineExceededError } from '#shared/domain/errors.ts';
import { eventTimeMs } from '#shared/domain/eventTime.ts';
import { type IngestFailure, ingestUserEvents } from '#shared/domain/ingestUserEvents.ts';
import type { PipelineMetrics, UserStore } from '#shared/domain/ports.ts';
import { invocationBudgetMs, withDeadline } from '#shared/lambda/deadline.ts';
import { redactEmails } from '#shared/logging/personalData.ts';
import type { MigrationReport } from '#shared/store/migrate.ts';
import { classifyEvent } from './events/classifyEvent.ts';
import { unpackSnsRecords } from './events/snsMessages.ts';
import { unpackSqsRecords } from './events/sqsMessages.ts';

interface SubscriberDependencies {
  store: UserStore;
  logger: Logger;
  metrics: PipelineMetrics;
  migrate: () => Promise<MigrationReport>;
  /** Told of every failed record with its reason (emails redacted), besides the log (the local DLQ keeps it). */
  onRecordFailure?: (failure: IngestFailure) => void;
}

interface MigrateResult extends MigrationReport {
  status: 'migrated';
}

type SubscriberResult = SQSBatchResponse | MigrateResult | undefined;
type SubscriberHandler = (event: unknown, context: Context) => Promise<SubscriberResult>;

class UnprocessableBatchError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnprocessableBatchError';
  }
}

/**
 * Failure reasons leave the handler in logs, thrown errors (which Lambda logs itself) and the local DLQ:
 * an email in one (a validation message, a driver's text) is replaced by its hash first.
 */
const redacted = (failure: IngestFailure): IngestFailure => ({
  ...failure,
  reason: redactEmails(failure.reason),
});

const createSubscriberHandler = (deps: SubscriberDependencies): SubscriberHandler => {
  const { store, logger } = deps;

  const reportFailures = (failures: readonly IngestFailure[]): void => {
    for (const failure of failures.map(redacted)) {
      logger.warn('Record failed; it will be retried and then dead-lettered', {
        messageId: failure.id,
        reason: failure.reason,
      });
      deps.onRecordFailure?.(failure);
    }
  };

  const handleSqsBatch = async (records: readonly unknown[], started: number): Promise<SQSBatchResponse> => {
    const unpacked = unpackSqsRecords(records);
    if (unpacked.unidentifiable > 0) {
      // Without an id the record cannot be named in batchItemFailures; fail the batch so nothing is lost.
      throw new UnprocessableBatchError(`${unpacked.unidentifiable} record(s) have no messageId.`);
    }
    const result = await ingestUserEvents(store, unpacked.messages);
    const failures = [...unpacked.failures, ...result.failures];
    if (result.unavailable !== undefined) {
      // Every record failed on the database, not on itself. Throwing (rather than listing them all as
      // partial) counts the batch as an error and a Lambda Errors datapoint, so SubscriberBatchErrors and
      // the errors alarm see an outage. The retry is the same either way: every message returns to the queue.
      for (const failure of failures) deps.onRecordFailure?.(redacted(failure));
      logger.error('Database unavailable; the whole batch will be retried', {
        records: records.length,
        reason: result.batchError,
      });
      throw new UnprocessableBatchError(
        `${redactEmails(result.batchError ?? 'The database is unavailable.')} Retrying the whole batch.`,
        {
          cause: result.unavailable,
        },
      );
    }
    const now = Date.now();
    deps.metrics.subscriberBatch({
      written: result.written,
      unchanged: result.landedOccurredAt.length - result.written,
      failed: failures.length,
      durationMs: performance.now() - started,
      eventAgesMs: result.landedOccurredAt.map((at) => now - eventTimeMs(at)),
      result: failures.length > 0 ? 'partial' : 'ok',
    });
    if (result.batchError !== undefined) logger.warn('Batch write failed', { reason: result.batchError });
    reportFailures(failures);
    logger.info('SQS batch processed', {
      received: records.length,
      accepted: result.accepted,
      written: result.written,
      failed: failures.length,
    });
    return { batchItemFailures: failures.map((f) => ({ itemIdentifier: f.id })) };
  };

  /**
   * `budgetMs` ends before Lambda's timeout: a batch still waiting then (a database resuming from a pause)
   * is failed by a throw of ours, so it is retried and counted like any failed batch, not cut off.
   */
  const handle = async (event: unknown, budgetMs: number): Promise<SubscriberResult> => {
    const kind = classifyEvent(event);

    switch (kind.kind) {
      case 'migrate': {
        const report = await deps.migrate();
        logger.info('Migrations applied', { ...report });
        return { status: 'migrated', ...report };
      }
      case 'unknown':
        throw new UnprocessableBatchError(`Unsupported invocation: ${kind.reason}.`);
      case 'sns': {
        // SNS invokes asynchronously: throwing is the only way to get a retry and the on-failure destination.
        const result = await withDeadline(ingestUserEvents(store, unpackSnsRecords(kind.records)), budgetMs);
        reportFailures(result.failures);
        if (result.failures.length > 0) {
          throw new UnprocessableBatchError(
            result.failures.map((f) => `${f.id}: ${redacted(f).reason}`).join('; '),
          );
        }
        logger.info('SNS batch written', { accepted: result.accepted, written: result.written });
        return undefined;
      }
      case 'sqs': {
        const started = performance.now();
        try {
          return await withDeadline(handleSqsBatch(kind.records, started), budgetMs);
        } catch (error) {
          if (error instanceof DeadlineExceededError) {
            logger.error('Batch did not finish before the deadline; the whole batch will be retried', {
              records: kind.records.length,
              deadlineMs: error.deadlineMs,
            });
          }
          // Thrown means Lambda retries the whole batch: count it as one failed batch.
          deps.metrics.subscriberBatch({
            written: 0,
            unchanged: 0,
            failed: kind.records.length,
            durationMs: performance.now() - started,
            eventAgesMs: [],
            result: 'error',
          });
          throw error;
        }
      }
    }
  };

  return async (event, context) => {
    logger.addContext(context);
    try {
      return await handle(event, invocationBudgetMs(context));
    } finally {
      deps.metrics.flush();
    }
  };
};

export type { MigrateResult, SubscriberDependencies, SubscriberHandler, SubscriberResult };
export { createSubscriberHandler, UnprocessableBatchError };
