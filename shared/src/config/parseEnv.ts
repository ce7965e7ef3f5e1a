import type { z } from 'zod';
import { ConfigError } from '../errors.ts';

/** Validates environment variables once; every problem is named in one error. */
const parseEnv = <S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> => {
  // Empty strings mean "unset" for env vars, as most deploy tools write them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(env)', message: issue.message })),
    );
  }
  return result.data;
};

export { parseEnv };
