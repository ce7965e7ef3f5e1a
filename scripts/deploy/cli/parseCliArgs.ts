import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { z } from 'zod';
import { UsageError } from '../errors.ts';

/** node:util parseArgs, then zod; any problem becomes a UsageError with every issue listed. */
const parseCliArgs = <T>(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  schema: z.ZodType<T>,
): T => {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) =>
      issue.path.length > 0 ? `--${issue.path.join('.')}: ${issue.message}` : issue.message,
    );
    throw new UsageError(issues.join('\n'));
  }
  return parsed.data;
};

export { parseCliArgs };
