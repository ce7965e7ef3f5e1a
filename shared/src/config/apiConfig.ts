import { z } from 'zod';
import {
  type DatabaseConfig,
  DatabaseEnvSchema,
  requireDatabase,
  toDatabaseConfig,
} from './databaseConfig.ts';
import { parseEnv } from './parseEnv.ts';
import { type LogLevel, RuntimeEnvSchema } from './runtimeConfig.ts';

const ApiEnvSchema = DatabaseEnvSchema.extend({
  ...RuntimeEnvSchema.shape,
  TOPIC_ARN: z
    .string({ error: 'TOPIC_ARN is required' })
    .regex(/^arn:aws[a-z-]*:sns:/, 'TOPIC_ARN must be an SNS topic ARN'),
});

interface ApiConfig {
  topicArn: string;
  database: DatabaseConfig;
  logLevel: LogLevel;
  serviceName: string;
  version: string | undefined;
}

/** The API only reads from the database, so it prefers the reader endpoint. */
const loadApiConfig = (env: NodeJS.ProcessEnv): ApiConfig => {
  const e = parseEnv(ApiEnvSchema, env, [requireDatabase]);
  return {
    topicArn: e.TOPIC_ARN,
    database: toDatabaseConfig(e, { preferReader: true, applicationName: 'ingesta-api' }),
    logLevel: e.LOG_LEVEL,
    serviceName: e.POWERTOOLS_SERVICE_NAME ?? 'ingesta-api',
    version: e.APP_VERSION,
  };
};

export type { ApiConfig };
export { loadApiConfig };
