import { ValidationError } from './errors.ts';
import { toFieldIssues } from './zodIssues.ts';
import * as z from './zodMini.ts';

const NAME_MAX = 200;
/** RFC 5321 path limit. */
const EMAIL_MAX = 254;

/** C0 (NUL included), DEL and C1. Tabs and newlines inside a value are refused too; around it they are trimmed. */
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * A string field the database can store exactly as accepted: well-formed Unicode (a lone surrogate
 * has no UTF-8 form and would be stored as U+FFFD, or refuse the batch) with no control characters
 * (PostgreSQL cannot store NUL at all). Checked after trimming, on the value that is stored.
 */
const text = (field: string) =>
  z.string({ error: `${field} must be a string` }).check(
    z.refine((value) => value.isWellFormed(), {
      error: `${field} must be well-formed Unicode (no lone surrogates)`,
      abort: true,
    }),
    z.trim(),
    z.refine((value) => !CONTROL_CHARACTER.test(value), {
      error: `${field} must not contain control characters`,
      abort: true,
    }),
  );

/**
 * What a client may submit. Unknown fields are rejected so typos never pass silently. The email
 * pattern is ASCII-only, so lower-casing it here and `lower()` in the database's CHECK agree under
 * every collation.
 */
const NewUserSchema = z.compiled(
  z.strictObject({
    name: text('name').check(
      z.minLength(1, 'name must not be empty'),
      z.maxLength(NAME_MAX, `name must be at most ${NAME_MAX} characters`),
    ),
    email: z.pipe(
      z.pipe(
        text('email').check(z.maxLength(EMAIL_MAX, `email must be at most ${EMAIL_MAX} characters`)),
        z.email('email must be a valid address'),
      ),
      z.transform((email: string) => email.toLowerCase()),
    ),
  }),
);

type NewUser = z.output<typeof NewUserSchema>;

/** A stored user as the API returns it. `id` is a string because it is a Postgres bigint. */
interface User {
  id: string;
  name: string;
  email: string;
  createdAt: string;
  updatedAt: string;
}

const parseNewUser = (input: unknown): NewUser => {
  const result = NewUserSchema.safeParse(input);
  if (!result.success) {
    throw new ValidationError('The user is invalid.', toFieldIssues(result.error));
  }
  return result.data;
};

/** Ids are positive Postgres bigints; anything else cannot name a user. */
const USER_ID_PATTERN = /^[1-9][0-9]{0,18}$/;
const INT8_MAX = 9223372036854775807n;

const isUserId = (value: string): boolean => USER_ID_PATTERN.test(value) && BigInt(value) <= INT8_MAX;

export type { NewUser, User };
export { EMAIL_MAX, isUserId, NAME_MAX, NewUserSchema, parseNewUser, USER_ID_PATTERN };
