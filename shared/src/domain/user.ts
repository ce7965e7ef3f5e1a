import { z } from 'zod';
import { ValidationError } from './errors.ts';
import { toFieldIssues } from './zodIssues.ts';

const NAME_MAX = 200;
/** RFC 5321 path limit. */
const EMAIL_MAX = 254;

/** What a client may submit. Unknown fields are rejected so typos never pass silently. */
const NewUserSchema = z.strictObject({
  name: z
    .string({ error: 'name must be a string' })
    .trim()
    .min(1, 'name must not be empty')
    .max(NAME_MAX, `name must be at most ${NAME_MAX} characters`),
  email: z
    .string({ error: 'email must be a string' })
    .trim()
    .max(EMAIL_MAX, `email must be at most ${EMAIL_MAX} characters`)
    .pipe(z.email('email must be a valid address'))
    .transform((email) => email.toLowerCase()),
});

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
