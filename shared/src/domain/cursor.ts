import { ValidationError } from './errors.ts';
import { isUserId } from './user.ts';
import * as z from './zodMini.ts';

/**
 * Opaque keyset cursor: base64url of `{"v":1,"after":"<id>"}`. Versioned so the ordering key can
 * change later without breaking clients that hold old cursors (they get a clear 400).
 */
const CursorSchema = z.strictObject({
  v: z.literal(1),
  after: z.string().check(z.refine(isUserId, 'after must be a user id')),
});

/** Cursors we issue are ~40 characters; refuse to decode anything far larger. */
const CURSOR_MAX_LENGTH = 200;

const encodeCursor = (afterId: string): string =>
  Buffer.from(JSON.stringify({ v: 1, after: afterId }), 'utf8').toString('base64url');

const invalidCursor = (cause?: unknown): ValidationError =>
  new ValidationError(
    'The cursor is invalid. Use the nextCursor value from a previous page.',
    [{ path: 'cursor', message: 'invalid cursor' }],
    { cause },
  );

/** Returns the id to seek after. */
const decodeCursor = (cursor: string): string => {
  if (cursor.length === 0 || cursor.length > CURSOR_MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalidCursor();
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalidCursor(error);
  }
  const result = CursorSchema.safeParse(decoded);
  if (!result.success) throw invalidCursor(result.error);
  return result.data.after;
};

export { decodeCursor, encodeCursor };
