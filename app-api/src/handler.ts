/**
 * Lambda entry for the API: the composition root. Reads config once at cold start, builds the
 * pg pools (reads on the reader endpoint, idempotency records on the writer) and the SNS publisher,
 * and exports `handler`.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { AWS_CLIENT_OPTIONS } from '#shared/bootstrap/awsClientOptions.ts';
import { connectPostgres } from '#shared/bootstrap/connectPostgres.ts';
import { createEmfMetrics } from '#shared/bootstrap/createEmfMetrics.ts';
import { loadApiConfig } from '#shared/config/functionConfig.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { SnsUserEventPublisher } from '#shared/publisher/snsUserEventPublisher.ts';
import { SqlIdempotencyStore } from '#shared/store/sqlIdempotencyStore.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { BUILD_VERSION } from '#shared/version.ts';
import { createApiHandler } from './createApiHandler.ts';

const config = loadApiConfig(process.env);
const logger = createLogger(config.serviceName, config.logLevel);
const db = await connectPostgres(config.database, logger);
const writer = config.writerDatabase ? await connectPostgres(config.writerDatabase, logger) : db;

const handler = createApiHandler(
  {
    store: new SqlUserStore(db),
    idempotency: { store: new SqlIdempotencyStore(writer), policy: config.idempotency },
    publisher: new SnsUserEventPublisher(new SNSClient(AWS_CLIENT_OPTIONS), config.topicArn),
    logger,
    metrics: createEmfMetrics(config.serviceName),
    version: config.version ?? BUILD_VERSION,
  },
  { deadlineMs: config.deadlineMs },
);

export { handler };
