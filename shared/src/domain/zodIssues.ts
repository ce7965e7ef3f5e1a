import type { FieldIssue } from './errors.ts';
import type * as z from './zodMini.ts';

/** Flattens zod issues into `{ path, message }` pairs that clients can map onto their fields. */
const toFieldIssues = (error: z.core.$ZodError, prefix?: string): FieldIssue[] =>
  error.issues.map((issue) => {
    const segments = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
    return { path: segments.length > 0 ? segments.join('.') : '(root)', message: issue.message };
  });

export { toFieldIssues };
