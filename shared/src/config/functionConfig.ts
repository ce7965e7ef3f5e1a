import { z } from 'zod';
import {
  type DatabaseConfig,
  type DatabaseEnv,
  DatabaseEnvSchema,
  requireDatabase,
  toDatabaseConfig,
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
}

type SubscriberConfig = FunctionConfig;

const FunctionEnvSchema = DatabaseEnvSchema.extend(RuntimeEnvSchema.shape);

const ApiEnvSchema = FunctionEnvSchema.extend({
  TOPIC_ARN: z
    .string({ error: 'TOPIC_ARN is required' })
    .regex(/^arn:aws[a-z-]*:sns:/, 'TOPIC_ARN must be an SNS topic ARN'),
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
  return { ...toFunctionConfig(e, 'ingesta-api', { preferReader: true }), topicArn: e.TOPIC_ARN };
};

const loadSubscriberConfig = (env: NodeJS.ProcessEnv): SubscriberConfig =>
  toFunctionConfig(parseEnv(FunctionEnvSchema, env, [requireDatabase]), 'ingesta-suscriptor');

export type { ApiConfig, FunctionConfig, SubscriberConfig };
export { loadApiConfig, loadSubscriberConfig };
