import {
  type DatabaseConfig,
  DatabaseEnvSchema,
  requireDatabase,
  toDatabaseConfig,
} from './databaseConfig.ts';
import { parseEnv } from './parseEnv.ts';
import { type LogLevel, RuntimeEnvSchema } from './runtimeConfig.ts';

const SubscriberEnvSchema = DatabaseEnvSchema.extend(RuntimeEnvSchema.shape);

interface SubscriberConfig {
  database: DatabaseConfig;
  logLevel: LogLevel;
  serviceName: string;
  version: string | undefined;
}

const loadSubscriberConfig = (env: NodeJS.ProcessEnv): SubscriberConfig => {
  const e = parseEnv(SubscriberEnvSchema, env, [requireDatabase]);
  return {
    database: toDatabaseConfig(e, { applicationName: 'ingesta-suscriptor' }),
    logLevel: e.LOG_LEVEL,
    serviceName: e.POWERTOOLS_SERVICE_NAME ?? 'ingesta-suscriptor',
    version: e.APP_VERSION,
  };
};

export type { SubscriberConfig };
export { loadSubscriberConfig };
