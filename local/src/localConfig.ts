import { z } from 'zod';
import { intFromEnv } from '#shared/config/databaseConfig.ts';
import { parseEnv } from '#shared/config/parseEnv.ts';
import { type LogLevel, LogLevelSchema } from '#shared/config/runtimeConfig.ts';

const LocalEnvSchema = z
  .object({
    PORT: intFromEnv('PORT', 0, 65_535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres://')
      .optional(),
    INGESTA_DATA_DIR: z.string().default('.data'),
    LOCAL_BATCH_SIZE: intFromEnv('LOCAL_BATCH_SIZE', 1, 10_000).default(10),
    LOCAL_BATCH_WINDOW_MS: intFromEnv('LOCAL_BATCH_WINDOW_MS', 0, 300_000).default(0),
    LOCAL_VISIBILITY_TIMEOUT_S: intFromEnv('LOCAL_VISIBILITY_TIMEOUT_S', 0, 43_200).default(30),
    LOCAL_MAX_RECEIVE_COUNT: intFromEnv('LOCAL_MAX_RECEIVE_COUNT', 1, 1_000).default(5),
    LOCAL_RAW_DELIVERY: z.enum(['true', 'false']).default('false'),
    LOG_LEVEL: LogLevelSchema.default('INFO'),
  })
  .refine((e) => e.LOCAL_BATCH_SIZE <= 10 || e.LOCAL_BATCH_WINDOW_MS >= 1_000, {
    path: ['LOCAL_BATCH_WINDOW_MS'],
    message: 'a LOCAL_BATCH_SIZE above 10 needs LOCAL_BATCH_WINDOW_MS ≥ 1000, as in AWS',
  });

interface LocalConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  batchSize: number;
  batchingWindowMs: number;
  visibilityTimeoutMs: number;
  maxReceiveCount: number;
  rawMessageDelivery: boolean;
  logLevel: LogLevel;
}

const loadLocalConfig = (env: NodeJS.ProcessEnv): LocalConfig => {
  const e = parseEnv(LocalEnvSchema, env);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.INGESTA_DATA_DIR,
    batchSize: e.LOCAL_BATCH_SIZE,
    batchingWindowMs: e.LOCAL_BATCH_WINDOW_MS,
    visibilityTimeoutMs: e.LOCAL_VISIBILITY_TIMEOUT_S * 1_000,
    maxReceiveCount: e.LOCAL_MAX_RECEIVE_COUNT,
    rawMessageDelivery: e.LOCAL_RAW_DELIVERY === 'true',
    logLevel: e.LOG_LEVEL,
  };
};

export type { LocalConfig };
export { loadLocalConfig };
