import {
  type DatabaseConfig,
  DatabaseEnvSchema,
  intFromEnv,
  toDatabaseConfig,
} from '#shared/config/databaseConfig.ts';
import { parseEnv } from '#shared/config/parseEnv.ts';
import { type LogLevel, RuntimeEnvSchema } from '#shared/config/runtimeConfig.ts';
import * as z from '#shared/domain/zodMini.ts';

const APPLICATION_NAME = 'ingesta-local';

/**
 * The database variables are the Lambdas' own schema, so a value means the same here and in AWS.
 * Only the pool is larger by default: one process serves every local request and the subscriber.
 * Secrets Manager and Aurora hosts have no local meaning, so they are not read.
 */
const LocalDatabaseEnvSchema = z.extend(
  z.pick(DatabaseEnvSchema, {
    DATABASE_URL: true,
    DB_SSL: true,
    DB_STATEMENT_TIMEOUT_MS: true,
    DB_CONNECT_TIMEOUT_MS: true,
  }),
  { DB_POOL_MAX: z._default(intFromEnv('DB_POOL_MAX', 1, 50), 10) },
);

/** The shared schemas are zod/mini (the Lambdas' cold start); these follow them, in its functional form. */
const LocalEnvSchema = z
  .extend(LocalDatabaseEnvSchema, {
    LOG_LEVEL: RuntimeEnvSchema.shape.LOG_LEVEL,
    APP_VERSION: RuntimeEnvSchema.shape.APP_VERSION,
    /** The `service` label of every metric, so one Prometheus can tell systems apart. */
    POWERTOOLS_SERVICE_NAME: z._default(RuntimeEnvSchema.shape.POWERTOOLS_SERVICE_NAME, 'ingesta'),
    PORT: z._default(intFromEnv('PORT', 0, 65_535), 3000),
    /** The AWS wire endpoint (Lambda, SQS, SNS); 4510, not LocalStack's 4566, so both can run. */
    LOCAL_AWS_PORT: z._default(intFromEnv('LOCAL_AWS_PORT', 0, 65_535), 4510),
    HOST: z._default(z.string(), '127.0.0.1'),
    INGESTA_DATA_DIR: z._default(z.string(), '.data'),
    LOCAL_BATCH_SIZE: z._default(intFromEnv('LOCAL_BATCH_SIZE', 1, 10_000), 10),
    LOCAL_BATCH_WINDOW_MS: z._default(intFromEnv('LOCAL_BATCH_WINDOW_MS', 0, 300_000), 0),
    LOCAL_VISIBILITY_TIMEOUT_S: z._default(intFromEnv('LOCAL_VISIBILITY_TIMEOUT_S', 0, 43_200), 30),
    LOCAL_MAX_RECEIVE_COUNT: z._default(intFromEnv('LOCAL_MAX_RECEIVE_COUNT', 1, 1_000), 5),
    LOCAL_RAW_DELIVERY: z._default(z.enum(['true', 'false']), 'false'),
  })
  .check(
    z.refine((e) => e.LOCAL_BATCH_SIZE <= 10 || e.LOCAL_BATCH_WINDOW_MS >= 1_000, {
      path: ['LOCAL_BATCH_WINDOW_MS'],
      message: 'a LOCAL_BATCH_SIZE above 10 needs LOCAL_BATCH_WINDOW_MS ≥ 1000, as in AWS',
    }),
  );

type LocalDatabaseEnv = z.output<typeof LocalDatabaseEnvSchema>;

interface LocalConfig {
  port: number;
  /** Port of the AWS wire endpoint (0 picks a free one). */
  awsPort: number;
  host: string;
  /** PostgreSQL when DATABASE_URL is set; otherwise PGlite in `dataDir`. */
  database: DatabaseConfig | undefined;
  dataDir: string;
  batchSize: number;
  batchingWindowMs: number;
  visibilityTimeoutMs: number;
  maxReceiveCount: number;
  rawMessageDelivery: boolean;
  logLevel: LogLevel;
  version: string;
  /** `service` label of the local metrics (POWERTOOLS_SERVICE_NAME, default `ingesta`). */
  serviceName: string;
}

const toLocalDatabase = (env: LocalDatabaseEnv): DatabaseConfig | undefined =>
  env.DATABASE_URL === undefined
    ? undefined
    : toDatabaseConfig(
        { ...env, DB_PORT: 5432, DB_NAME: 'ingesta', DB_IAM_AUTH: false },
        { applicationName: APPLICATION_NAME },
      );

/** A PostgreSQL URL with the same defaults `npm start` would apply (for tests and tools). */
const localDatabaseConfig = (url: string, env: NodeJS.ProcessEnv = {}): DatabaseConfig => {
  const database = toLocalDatabase(parseEnv(LocalDatabaseEnvSchema, { ...env, DATABASE_URL: url }));
  if (database === undefined) throw new Error('unreachable: DATABASE_URL was given');
  return database;
};

const loadLocalConfig = (env: NodeJS.ProcessEnv): LocalConfig => {
  const e = parseEnv(LocalEnvSchema, env);
  return {
    port: e.PORT,
    awsPort: e.LOCAL_AWS_PORT,
    host: e.HOST,
    database: toLocalDatabase(e),
    dataDir: e.INGESTA_DATA_DIR,
    batchSize: e.LOCAL_BATCH_SIZE,
    batchingWindowMs: e.LOCAL_BATCH_WINDOW_MS,
    visibilityTimeoutMs: e.LOCAL_VISIBILITY_TIMEOUT_S * 1_000,
    maxReceiveCount: e.LOCAL_MAX_RECEIVE_COUNT,
    rawMessageDelivery: e.LOCAL_RAW_DELIVERY === 'true',
    logLevel: e.LOG_LEVEL,
    version: e.APP_VERSION ?? 'local',
    serviceName: e.POWERTOOLS_SERVICE_NAME,
  };
};

export type { LocalConfig };
export { loadLocalConfig, localDatabaseConfig };
