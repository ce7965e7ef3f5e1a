import type { FieldIssue } from '../domain/errors.ts';
import * as z from '../domain/zodMini.ts';
import type { Env, EnvRule } from './parseEnv.ts';

const SslModeSchema = z.enum(['disable', 'require', 'verify-full'], {
  error: 'DB_SSL must be one of disable, require, verify-full',
});

const intFromEnv = (name: string, min: number, max: number) =>
  z.pipe(
    z.pipe(z.string().check(z.regex(/^[0-9]+$/, `${name} must be a whole number`)), z.transform(Number)),
    z.number().check(z.int(), z.gte(min, `${name} must be ≥ ${min}`), z.lte(max, `${name} must be ≤ ${max}`)),
  );

/** Env vars shared by every process that talks to the database. */
const DatabaseEnvSchema = z.object({
  DATABASE_URL: z.optional(
    z
      .string()
      .check(z.regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')),
  ),
  DB_SECRET_ARN: z.optional(
    z
      .string()
      .check(z.regex(/^arn:aws[a-z-]*:secretsmanager:/, 'DB_SECRET_ARN must be a Secrets Manager ARN')),
  ),
  DB_HOST: z.optional(z.string().check(z.minLength(1))),
  DB_READER_HOST: z.optional(z.string().check(z.minLength(1))),
  DB_PORT: z._default(intFromEnv('DB_PORT', 1, 65_535), 5432),
  DB_NAME: z._default(z.string().check(z.minLength(1)), 'ingesta'),
  DB_SSL: z.optional(SslModeSchema),
  DB_POOL_MAX: z._default(intFromEnv('DB_POOL_MAX', 1, 50), 2),
  DB_STATEMENT_TIMEOUT_MS: z._default(intFromEnv('DB_STATEMENT_TIMEOUT_MS', 100, 300_000), 10_000),
  DB_CONNECT_TIMEOUT_MS: z._default(intFromEnv('DB_CONNECT_TIMEOUT_MS', 100, 60_000), 5_000),
  /** Log in as DB_USER with an IAM token signed from the function's own role; no password exists. */
  DB_IAM_AUTH: z._default(
    z.pipe(
      z.enum(['true', 'false'], { error: 'DB_IAM_AUTH must be true or false' }),
      z.transform((v) => v === 'true'),
    ),
    false,
  ),
  DB_USER: z.optional(
    z.string().check(z.regex(/^[a-z_][a-z0-9_]{0,62}$/, 'DB_USER must be a lower-case PostgreSQL role name')),
  ),
  /** Lambda sets it; IAM tokens are signed for this region. */
  AWS_REGION: z.optional(z.string().check(z.minLength(1))),
});

type DatabaseEnv = z.output<typeof DatabaseEnvSchema>;

interface DatabaseCommon {
  ssl: z.output<typeof SslModeSchema> | undefined;
  poolMax: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  applicationName: string;
}

interface DatabaseServer {
  host: string;
  port: number;
  database: string;
}

type DatabaseConfig =
  | (DatabaseCommon & { kind: 'url'; url: string })
  | (DatabaseCommon & DatabaseServer & { kind: 'secret'; secretArn: string })
  | (DatabaseCommon & DatabaseServer & { kind: 'iam'; user: string; region: string });

/** What IAM authentication needs, all named at once. */
const iamIssues = (env: Env): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  if (env.DATABASE_URL !== undefined)
    issues.push({ path: 'DB_IAM_AUTH', message: 'DB_IAM_AUTH connects to DB_HOST; unset DATABASE_URL' });
  if (env.DB_HOST === undefined)
    issues.push({ path: 'DB_HOST', message: 'DB_HOST is required with DB_IAM_AUTH' });
  if (env.DB_USER === undefined)
    issues.push({ path: 'DB_USER', message: 'DB_USER is required with DB_IAM_AUTH' });
  if (env.AWS_REGION === undefined)
    issues.push({ path: 'AWS_REGION', message: 'AWS_REGION is required with DB_IAM_AUTH (Lambda sets it)' });
  if (env.DB_SSL !== undefined && env.DB_SSL !== 'verify-full') {
    // The token is a password for 15 minutes: it goes only to a server whose certificate is verified.
    issues.push({ path: 'DB_SSL', message: 'DB_IAM_AUTH needs DB_SSL=verify-full' });
  }
  return issues;
};

/** Rule for functions that need a database: a URL, IAM authentication to a host, or a secret plus a host. */
const requireDatabase: EnvRule = (env) => {
  if (env.DB_IAM_AUTH === 'true') return iamIssues(env);
  if (env.DB_USER !== undefined)
    return [{ path: 'DB_USER', message: 'DB_USER is read only with DB_IAM_AUTH=true' }];
  if (env.DATABASE_URL !== undefined) return [];
  if (env.DB_SECRET_ARN === undefined) {
    return [{ path: 'DATABASE_URL', message: 'set DATABASE_URL, or DB_SECRET_ARN with DB_HOST' }];
  }
  return env.DB_HOST === undefined
    ? [{ path: 'DB_HOST', message: 'DB_HOST is required with DB_SECRET_ARN' }]
    : [];
};

/**
 * Picks the connection source: IAM authentication when DB_IAM_AUTH is set, else DATABASE_URL, else a secret
 * and host. Aurora (IAM or secret) defaults to verified TLS, because that is how it is reached in AWS.
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
  const host = (preferReader ? env.DB_READER_HOST : undefined) ?? env.DB_HOST;
  if (env.DB_IAM_AUTH) {
    if (host === undefined || env.DB_USER === undefined || env.AWS_REGION === undefined) {
      throw new Error(
        'toDatabaseConfig needs DB_HOST, DB_USER and AWS_REGION with DB_IAM_AUTH; validate first.',
      );
    }
    return {
      kind: 'iam',
      host,
      port: env.DB_PORT,
      database: env.DB_NAME,
      user: env.DB_USER,
      region: env.AWS_REGION,
      ssl: 'verify-full',
      ...common,
    };
  }
  if (env.DATABASE_URL !== undefined) {
    return { kind: 'url', url: env.DATABASE_URL, ssl: env.DB_SSL, ...common };
  }
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

/** Rule for a function that also migrates: with IAM authentication, migrations need the master secret. */
const requireMigrator: EnvRule = (env) =>
  env.DB_IAM_AUTH === 'true' && env.DB_SECRET_ARN === undefined
    ? [
        {
          path: 'DB_SECRET_ARN',
          message:
            'DB_SECRET_ARN (the master user secret) is required with DB_IAM_AUTH: migrations run as the master user',
        },
      ]
    : [];

/**
 * How migrations connect. Under IAM authentication the function's own role may not change the schema, so
 * migrations log in as the master user from its secret (on the writer); otherwise they share the function's
 * connection (undefined).
 */
const toMigratorConfig = (
  env: DatabaseEnv,
  { applicationName }: { applicationName: string },
): DatabaseConfig | undefined => {
  if (!env.DB_IAM_AUTH) return undefined;
  if (env.DB_SECRET_ARN === undefined || env.DB_HOST === undefined) {
    throw new Error('toMigratorConfig needs DB_SECRET_ARN and DB_HOST with DB_IAM_AUTH; validate first.');
  }
  return {
    kind: 'secret',
    secretArn: env.DB_SECRET_ARN,
    host: env.DB_HOST,
    port: env.DB_PORT,
    database: env.DB_NAME,
    ssl: env.DB_SSL ?? 'verify-full',
    // One connection is all a migration uses; it waits as long as the function's own would.
    poolMax: 1,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
    applicationName: `${applicationName}-migrate`,
  };
};

export type { DatabaseConfig, DatabaseEnv };
export {
  DatabaseEnvSchema,
  intFromEnv,
  requireDatabase,
  requireMigrator,
  toDatabaseConfig,
  toMigratorConfig,
};
