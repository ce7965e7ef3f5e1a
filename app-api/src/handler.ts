/**
 * Lambda entry for the API: the composition root. Reads config once at cold start, builds the
 * pg pools (reads on the reader endpoint, idempotency records on the writer) and the SNS publisher,
 * and exports `handler`. The SNS client is loaded on the first POST (its own chunk of the bundle), so a
 * cold start that only reads does not pay for it.
 */
import { AWS_CLIENT_OPTIONS } from '#shared/bootstrap/awsClientOptions.ts';
import { connectPostgres } from '#shared/bootstrap/connectPostgres.ts';
import { createEmfMetrics } from '#shared/bootstrap/createEmfMetrics.ts';
import { loadApiConfig } from '#shared/config/functionConfig.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { lazyPublisher } from '#shared/publisher/lazyPublisher.ts';
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
    publisher: lazyPublisher(async () => {
      const [{ SNSClient }, { SnsUserEventPublisher }] = await Promise.all([
        import('@aws-sdk/client-sns'),
        import('#shared/publisher/snsUserEventPublisher.ts'),
      ]);
      return new SnsUserEventPublisher(new SNSClient(AWS_CLIENT_OPTIONS), config.topicArn);
    }),
    logger,
    metrics: createEmfMetrics(config.serviceName),
    version: config.version ?? BUILD_VERSION,
  },
  { deadlineMs: config.deadlineMs },
);

export { handler };
