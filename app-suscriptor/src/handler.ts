/**
 * Lambda entry for the subscriber: the composition root. Reads config once at cold start, builds
 * the pg pool and store, and exports `handler` (SQS batches, SNS events, or `{"action":"migrate"}`).
 */
import { connectPostgres } from '#shared/bootstrap/connectPostgres.ts';
import { createEmfMetrics } from '#shared/bootstrap/createEmfMetrics.ts';
import { loadSubscriberConfig } from '#shared/config/functionConfig.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { migrate } from '#shared/store/migrate.ts';
import { migrations } from '#shared/store/migrations/index.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { createSubscriberHandler } from './createSubscriberHandler.ts';

const config = loadSubscriberConfig(process.env);
const logger = createLogger(config.serviceName, config.logLevel);
const db = await connectPostgres(config.database, logger);

const handler = createSubscriberHandler({
  store: new SqlUserStore(db),
  logger,
  metrics: createEmfMetrics(config.serviceName),
  migrate: () => migrate(db, migrations),
});

export { handler };
