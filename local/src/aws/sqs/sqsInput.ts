import type { z } from 'zod';
import { sqsErrors } from './sqsErrors.ts';

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined,
    input,
  );

/** Parses an operation's input: a missing member is MissingParameter, a wrong one InvalidParameterValue. */
const parseInput = <S extends z.ZodType>(schema: S, input: unknown): z.output<S> => {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path ?? [];
  const name = path.map(String).join('.') || 'request';
  if (issue?.code === 'invalid_type' && valueAt(input, path) === undefined)
    throw sqsErrors.missingParameter(name);
  throw sqsErrors.invalidParameterValue(
    `Value for parameter ${name} is invalid. Reason: ${issue?.message ?? 'invalid'}.`,
  );
};

export { parseInput };
