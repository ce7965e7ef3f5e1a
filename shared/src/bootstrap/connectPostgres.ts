import type { Logger } from '@aws-lambda-powertools/logger';
import type { DatabaseConfig } from '../config/databaseConfig.ts';
import { createPgPool } from '../store/pg/createPgPool.ts';
import { PgExecutor } from '../store/pg/pgExecutor.ts';
import type { DbCredentials } from '../store/pg/secretsManagerCredentials.ts';
import { AWS_CLIENT_OPTIONS } from './awsClientOptions.ts';

type CredentialsSource = () => Promise<DbCredentials>;

/**
 * Where each new connection gets its user and password. IAM tokens are signed locally from the function's
 * role, so a cold start makes no network call before its first query. Only a secret (the master user, for
 * migrations) needs Secrets Manager. Each way's modules are loaded only when the config names it (their own
 * chunks of the bundle), so a function on DATABASE_URL loads neither the signer nor any AWS client.
 */
const databaseCredentials = async (config: DatabaseConfig): Promise<CredentialsSource | undefined> => {
  switch (config.kind) {
    case 'url':
      return undefined;
    case 'iam': {
      const [{ defaultProvider }, { rdsIamAuthToken }] = await Promise.all([
        import('@aws-sdk/credential-provider-node'),
        import('../store/pg/rdsIamAuthToken.ts'),
      ]);
      const token = rdsIamAuthToken({ ...config, credentials: defaultProvider() });
      return async () => ({ username: config.user, password: await token() });
    }
    case 'secret': {
      const [{ SecretsManagerClient }, { secretsManagerCredentials }] = await Promise.all([
        import('@aws-sdk/client-secrets-manager'),
        import('../store/pg/secretsManagerCredentials.ts'),
      ]);
      return secretsManagerCredentials(new SecretsManagerClient(AWS_CLIENT_OPTIONS), config.secretArn);
    }
  }
};

/** Composition helper for Lambda entries: config → pool with the credentials the config names. */
const connectPostgres = async (config: DatabaseConfig, logger: Logger): Promise<PgExecutor> => {
  const pool = await createPgPool(config, {
    credentials: await databaseCredentials(config),
    onError: (error) => logger.warn('Idle database connection failed', { error }),
  });
  return new PgExecutor(pool);
};

export { connectPostgres, databaseCredentials };
