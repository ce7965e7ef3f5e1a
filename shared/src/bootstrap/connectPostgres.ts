import type { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DatabaseConfig } from '../config/databaseConfig.ts';
import { createPgPool } from '../store/pg/createPgPool.ts';
import { PgExecutor } from '../store/pg/pgExecutor.ts';
import { secretsManagerCredentials } from '../store/pg/secretsManagerCredentials.ts';
import { AWS_CLIENT_OPTIONS } from './awsClientOptions.ts';

/** Composition helper for Lambda entries: config → pool (credentials from Secrets Manager if named). */
const connectPostgres = async (config: DatabaseConfig, logger: Logger): Promise<PgExecutor> => {
  const pool = await createPgPool(config, {
    ...(config.kind === 'secret' && {
      credentials: secretsManagerCredentials(new SecretsManagerClient(AWS_CLIENT_OPTIONS), config.secretArn),
    }),
    onError: (error) => logger.warn('Idle database connection failed', { error }),
  });
  return new PgExecutor(pool);
};

export { connectPostgres };
