import pg from 'pg';
import type { DatabaseConfig } from '#shared/config/databaseConfig.ts';
import type { DbCredentials } from './secretsManagerCredentials.ts';

interface PgPoolDependencies {
  /** Resolves credentials when the config names a secret or IAM authentication instead of a URL. */
  credentials?: () => Promise<DbCredentials>;
  onError?: (error: Error) => void;
}

const sslOption = (mode: DatabaseConfig['ssl']): pg.PoolConfig['ssl'] => {
  switch (mode) {
    case 'disable':
      return false;
    case 'require':
      // Encrypted but unverified: only for endpoints whose CA the runtime cannot know.
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true };
    case undefined:
      return undefined;
  }
};

/**
 * Builds the one pool a container keeps. Every wait is bounded: connecting, each statement, and
 * idle connections (Aurora can pause or scale under us).
 */
const createPgPool = async (config: DatabaseConfig, deps: PgPoolDependencies = {}): Promise<pg.Pool> => {
  const common: pg.PoolConfig = {
    max: config.poolMax,
    connectionTimeoutMillis: config.connectTimeoutMs,
    idleTimeoutMillis: 60_000,
    statement_timeout: config.statementTimeoutMs,
    query_timeout: config.statementTimeoutMs + 1_000,
    application_name: config.applicationName,
  };
  const ssl = sslOption(config.ssl);
  if (ssl !== undefined) common.ssl = ssl;

  let pool: pg.Pool;
  if (config.kind === 'url') {
    pool = new pg.Pool({ ...common, connectionString: config.url });
  } else {
    const getCredentials = deps.credentials;
    if (getCredentials === undefined)
      throw new Error(`A ${config.kind} database config needs a credentials source.`);
    // IAM names its user; a secret's user is read from the secret once, here.
    const user = config.kind === 'iam' ? config.user : (await getCredentials()).username;
    pool = new pg.Pool({
      ...common,
      host: config.host,
      port: config.port,
      database: config.database,
      user,
      // Resolved per new connection: a rotated password or a fresh IAM token, without a redeploy.
      password: async () => (await getCredentials()).password,
    });
  }
  // An idle client dying (failover, pause) must not crash the process; the pool replaces it.
  pool.on('error', (error) => deps.onError?.(error));
  return pool;
};

export type { PgPoolDependencies };
export { createPgPool };
