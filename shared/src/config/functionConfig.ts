import { z } from 'zod';
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
  /** Longest a request may take before it is answered 503; the invocation's remaining time bounds it too. */
  deadlineMs: number | undefined;
}

interface SubscriberConfig extends FunctionConfig {
  /** How `{"action":"migrate"}` connects; undefined means over the function's own connection. */
  migrator: DatabaseConfig | undefined;
}

const FunctionEnvSchema = DatabaseEnvSchema.extend(RuntimeEnvSchema.shape);

const ApiEnvSchema = FunctionEnvSchema.extend({
  TOPIC_ARN: z
    .string({ error: 'TOPIC_ARN is required' })
    .regex(/^arn:aws[a-z-]*:sns:/, 'TOPIC_ARN must be an SNS topic ARN'),
  API_DEADLINE_MS: intFromEnv('API_DEADLINE_MS', 100, 900_000).optional(),
});

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

/** The API only reads from the database, so it prefers the reader endpoint. */
const loadApiConfig = (env: NodeJS.ProcessEnv): ApiConfig => {
  const e = parseEnv(ApiEnvSchema, env, [requireDatabase]);
  return {
    ...toFunctionConfig(e, 'ingesta-api', { preferReader: true }),
    topicArn: e.TOPIC_ARN,
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
