import * as z from '../domain/zodMini.ts';

const LogLevelSchema = z.pipe(
  z.pipe(
    z.string(),
    z.transform((v: string) => v.toUpperCase()),
  ),
  z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'], {
    error: 'LOG_LEVEL must be DEBUG, INFO, WARN, ERROR or SILENT',
  }),
);

/** Env vars every function reads, besides the database. */
const RuntimeEnvSchema = z.object({
  LOG_LEVEL: z._default(LogLevelSchema, 'INFO'),
  APP_VERSION: z.optional(z.string().check(z.maxLength(100))),
  /** Logs and metrics carry it as `service`; Terraform sets the function name so systems stay apart. */
  POWERTOOLS_SERVICE_NAME: z.optional(
    z
      .string()
      .check(
        z.regex(
          /^[A-Za-z0-9._-]{1,100}$/,
          'POWERTOOLS_SERVICE_NAME must be 1-100 letters, digits, dots, dashes or underscores',
        ),
      ),
  ),
  AWS_REGION: z.optional(z.string()),
});

type LogLevel = z.output<typeof LogLevelSchema>;

export type { LogLevel };
export { LogLevelSchema, RuntimeEnvSchema };
