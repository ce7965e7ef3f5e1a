import { DEFAULT_IDEMPOTENCY_POLICY, type IdempotencyPolicy } from '../domain/idempotency.ts';
import * as z from '../domain/zodMini.ts';
import {
  type DatabaseConfig,
  type DatabaseEnv,
  DatabaseEnvSchema,
  intFromEnv,
  requireDatabase,
  requireMigrator,
  toDatabaseConfig,
  toMigratorConfig,
} from './databaseConfig.ts';
import { parseEnv } from './parseEnv.ts';
import { type LogLevel, RuntimeEnvSchema } from './runtimeConfig.ts';

/** What every function reads at cold start. */
interface FunctionConfig {
  database: DatabaseConfig;
  logLevel: LogLevel;
  serviceName: string;
  version: string | undefined;
}

interface ApiConfig extends FunctionConfig {
  topicArn: string;
  /** The writer, for the idempotency records; undefined when `database` already is the writer. */
  writerDatabase: DatabaseConfig | undefined;
  idempotency: IdempotencyPolicy;
  /** Longest a request may take before it is answered 503; the invocation's remaining time bounds it too. */
  deadlineMs: number | undefined;
}

interface SubscriberConfig extends FunctionConfig {
  /** How `{"action":"migrate"}` connects; undefined means over the function's own connection. */
  migrator: DatabaseConfig | undefined;
}

const FunctionEnvSchema = z.extend(DatabaseEnvSchema, RuntimeEnvSchema.shape);

const ApiEnvSchema = z
  .extend(FunctionEnvSchema, {
    TOPIC_ARN: z
      .string({ error: 'TOPIC_ARN is required' })
      .check(z.regex(/^arn:aws[a-z-]*:sns:/, 'TOPIC_ARN must be an SNS topic ARN')),
    /** How long a completed Idempotency-Key is replayed: 1 minute to 7 days. */
    IDEMPOTENCY_TTL_SECONDS: z._default(
      intFromEnv('IDEMPOTENCY_TTL_SECONDS', 60, 7 * 24 * 3600),
      DEFAULT_IDEMPOTENCY_POLICY.ttlMs / 1000,
    ),
    /** How long an in-flight key is held: must outlast the function timeout (at most 900 s) and a margin. */
    IDEMPOTENCY_LEASE_SECONDS: z._default(
      intFromEnv('IDEMPOTENCY_LEASE_SECONDS', 1, 960),
      DEFAULT_IDEMPOTENCY_POLICY.leaseMs / 1000,
    ),
    API_DEADLINE_MS: z.optional(intFromEnv('API_DEADLINE_MS', 100, 900_000)),
  })
  .check(
    z.refine((e) => e.IDEMPOTENCY_LEASE_SECONDS < e.IDEMPOTENCY_TTL_SECONDS, {
      path: ['IDEMPOTENCY_LEASE_SECONDS'],
      message: 'IDEMPOTENCY_LEASE_SECONDS must be shorter than IDEMPOTENCY_TTL_SECONDS',
      // Compared only once both are valid numbers; a bad value is already named on its own.
      when: ({ issues }) => issues.length === 0,
    }),
  );

const toFunctionConfig = (
  e: DatabaseEnv & z.output<typeof RuntimeEnvSchema>,
  name: string,
  { preferReader = false } = {},
): FunctionConfig => ({
  database: toDatabaseConfig(e, { preferReader, applicationName: name }),
  logLevel: e.LOG_LEVEL,
  serviceName: e.POWERTOOLS_SERVICE_NAME ?? name,
  version: e.APP_VERSION,
});

/**
 * The API reads users from the reader endpoint; its one write (the idempotency records) goes to the
 * writer, through a second pool only when the two endpoints differ.
 */
const loadApiConfig = (env: NodeJS.ProcessEnv): ApiConfig => {
  const e = parseEnv(ApiEnvSchema, env, [requireDatabase]);
  const base = toFunctionConfig(e, 'ingesta-api', { preferReader: true });
  const separateReader = e.DATABASE_URL === undefined && (e.DB_READER_HOST ?? e.DB_HOST) !== e.DB_HOST;
  return {
    ...base,
    topicArn: e.TOPIC_ARN,
    writerDatabase: separateReader
      ? toDatabaseConfig(e, { applicationName: 'ingesta-api-writer' })
      : undefined,
    idempotency: {
      ...DEFAULT_IDEMPOTENCY_POLICY,
      ttlMs: e.IDEMPOTENCY_TTL_SECONDS * 1000,
      leaseMs: e.IDEMPOTENCY_LEASE_SECONDS * 1000,
    },
    deadlineMs: e.API_DEADLINE_MS,
  };
};

/** The subscriber also runs migrations, as the master user when it logs in with IAM. */
const loadSubscriberConfig = (env: NodeJS.ProcessEnv): SubscriberConfig => {
  const e = parseEnv(FunctionEnvSchema, env, [requireDatabase, requireMigrator]);
  const name = 'ingesta-suscriptor';
  return { ...toFunctionConfig(e, name), migrator: toMigratorConfig(e, { applicationName: name }) };
};

export type { ApiConfig, FunctionConfig, SubscriberConfig };
export { loadApiConfig, loadSubscriberConfig };
