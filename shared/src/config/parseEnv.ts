import { type FieldIssue, IngestaError } from '../domain/errors.ts';
import * as z from '../domain/zodMini.ts';

/** Configuration is read once at cold start; this names every bad variable at once. */
class ConfigError extends IngestaError {
  override readonly name: string = 'ConfigError';
  readonly issues: FieldIssue[];

  constructor(issues: FieldIssue[], options?: ErrorOptions) {
    super(`Invalid configuration: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, options);
    this.issues = issues;
  }
}

type Env = Readonly<Record<string, string>>;
/** A rule across several variables; runs even when single variables are wrong, so all issues show at once. */
type EnvRule = (env: Env) => FieldIssue[];

/** Validates environment variables once; every problem is named in one error. */
const parseEnv = <S extends z.core.$ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv,
  rules: readonly EnvRule[] = [],
): z.output<S> => {
  // Empty strings mean "unset" for env vars, as most deploy tools write them.
  const cleaned: Env = Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
  const result = z.safeParse(schema, cleaned);
  const issues: FieldIssue[] = result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(env)', message: issue.message }));
  issues.push(...rules.flatMap((rule) => rule(cleaned)));
  if (!result.success || issues.length > 0) throw new ConfigError(issues);
  return result.data;
};

export type { Env, EnvRule };
export { ConfigError, parseEnv };
