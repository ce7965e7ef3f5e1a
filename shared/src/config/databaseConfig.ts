import { z } from 'zod';
import type { EnvRule } from './parseEnv.ts';

const SslModeSchema = z.enum(['disable', 'require', 'verify-full'], {
  error: 'DB_SSL must be one of disable, require, verify-full',
});

const intFromEnv = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be ≥ ${min}`).max(max, `${name} must be ≤ ${max}`));

/** Env vars shared by every process that talks to the database. */
const DatabaseEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  DB_SECRET_ARN: z
    .string()
    .regex(/^arn:aws[a-z-]*:secretsmanager:/, 'DB_SECRET_ARN must be a Secrets Manager ARN')
    .optional(),
  DB_HOST: z.string().min(1).optional(),
  DB_READER_HOST: z.string().min(1).optional(),
  DB_PORT: intFromEnv('DB_PORT', 1, 65_535).default(5432),
  DB_NAME: z.string().min(1).default('ingesta'),
  DB_SSL: SslModeSchema.optional(),
  DB_POOL_MAX: intFromEnv('DB_POOL_MAX', 1, 50).default(2),
  DB_STATEMENT_TIMEOUT_MS: intFromEnv('DB_STATEMENT_TIMEOUT_MS', 100, 300_000).default(10_000),
  DB_CONNECT_TIMEOUT_MS: intFromEnv('DB_CONNECT_TIMEOUT_MS', 100, 60_000).default(5_000),
});

type DatabaseEnv = z.output<typeof DatabaseEnvSchema>;

interface DatabaseCommon {
  ssl: z.output<typeof SslModeSchema> | undefined;
  poolMax: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  applicationName: string;
}

type DatabaseConfig =
  | (DatabaseCommon & { kind: 'url'; url: string })
  | (DatabaseCommon & { kind: 'secret'; secretArn: string; host: string; port: number; database: string });

/** Rule for functions that need a database: a URL, or a secret plus a host. */
const requireDatabase: EnvRule = (env) => {
  if (env.DATABASE_URL !== undefined) return [];
  if (env.DB_SECRET_ARN === undefined) {
    return [{ path: 'DATABASE_URL', message: 'set DATABASE_URL, or DB_SECRET_ARN with DB_HOST' }];
  }
  return env.DB_HOST === undefined
    ? [{ path: 'DB_HOST', message: 'DB_HOST is required with DB_SECRET_ARN' }]
    : [];
};

/**
 * Picks the connection source. DATABASE_URL wins; otherwise a secret and host, which default to
 * verified TLS because that is how Aurora is reached in AWS.
 */
const toDatabaseConfig = (
  env: DatabaseEnv,
  { preferReader = false, applicationName }: { preferReader?: boolean; applicationName: string },
): DatabaseConfig => {
  const common = {
    poolMax: env.DB_POOL_MAX,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
    applicationName,
  };
  if (env.DATABASE_URL !== undefined) {
    return { kind: 'url', url: env.DATABASE_URL, ssl: env.DB_SSL, ...common };
  }
  const host = (preferReader ? env.DB_READER_HOST : undefined) ?? env.DB_HOST;
  if (env.DB_SECRET_ARN === undefined || host === undefined) {
    throw new Error('toDatabaseConfig needs DATABASE_URL or DB_SECRET_ARN with DB_HOST; validate first.');
  }
  return {
    kind: 'secret',
    secretArn: env.DB_SECRET_ARN,
    host,
    port: env.DB_PORT,
    database: env.DB_NAME,
    ssl: env.DB_SSL ?? 'verify-full',
    ...common,
  };
};

export type { DatabaseConfig, DatabaseEnv };
export { DatabaseEnvSchema, intFromEnv, requireDatabase, toDatabaseConfig };
