/**
 * Lambda entry for the subscriber: the composition root. Reads config once at cold start, builds
 * the pg pool and store, and exports `handler` (SQS batches, SNS events, or `{"action":"migrate"}`).
 * In AWS it logs in as its own role with IAM tokens; only a migration reads the master user's secret.
 */
import { connectPostgres } from '#shared/bootstrap/connectPostgres.ts';
import { createEmfMetrics } from '#shared/bootstrap/createEmfMetrics.ts';
import { migrationRunner } from '#shared/bootstrap/runMigrations.ts';
import { loadSubscriberConfig } from '#shared/config/functionConfig.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { createSubscriberHandler } from './createSubscriberHandler.ts';

const config = loadSubscriberConfig(process.env);
const logger = createLogger(config.serviceName, config.logLevel);
const db = await connectPostgres(config.database, logger);

const handler = createSubscriberHandler({
  store: new SqlUserStore(db),
  logger,
  metrics: createEmfMetrics(config.serviceName),
  migrate: migrationRunner(config, db, logger),
});

export { handler };
