import { z } from 'zod';

const LogLevelSchema = z
  .string()
  .transform((v) => v.toUpperCase())
  .pipe(
    z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'], {
      error: 'LOG_LEVEL must be DEBUG, INFO, WARN, ERROR or SILENT',
    }),
  );

/** Env vars every function reads, besides the database. */
const RuntimeEnvSchema = z.object({
  LOG_LEVEL: LogLevelSchema.default('INFO'),
  APP_VERSION: z.string().max(100).optional(),
  /** Logs and metrics carry it as `service`; Terraform sets the function name so systems stay apart. */
  POWERTOOLS_SERVICE_NAME: z
    .string()
    .regex(
      /^[A-Za-z0-9._-]{1,100}$/,
      'POWERTOOLS_SERVICE_NAME must be 1-100 letters, digits, dots, dashes or underscores',
    )
    .optional(),
  AWS_REGION: z.string().optional(),
});

type LogLevel = z.output<typeof LogLevelSchema>;

export type { LogLevel };
export { LogLevelSchema, RuntimeEnvSchema };
