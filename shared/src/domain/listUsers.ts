import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { ValidationError } from './errors.ts';
import type { UserStore } from './ports.ts';
import type { User } from './user.ts';
import { toFieldIssues } from './zodIssues.ts';

const PAGE_LIMIT_MAX = 500;
const PAGE_LIMIT_DEFAULT = 50;

const PageQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^[0-9]{1,4}$/, `limit must be an integer from 1 to ${PAGE_LIMIT_MAX}`)
    .transform(Number)
    .pipe(z.number().int().min(1).max(PAGE_LIMIT_MAX, `limit must be at most ${PAGE_LIMIT_MAX}`))
    .optional(),
  cursor: z.string().optional(),
});

interface UsersPage {
  items: User[];
  nextCursor: string | null;
}

/** Pages users in a stable id order. The limit is always bounded, whatever the caller asks. */
const listUsers = async (
  store: UserStore,
  query: { limit?: string | undefined; cursor?: string | undefined },
): Promise<UsersPage> => {
  const parsed = PageQuerySchema.safeParse(query);
  if (!parsed.success) {
    throw new ValidationError('The page query is invalid.', toFieldIssues(parsed.error));
  }
  const afterId = parsed.data.cursor === undefined ? null : decodeCursor(parsed.data.cursor);
  const page = await store.listUsers({ afterId, limit: parsed.data.limit ?? PAGE_LIMIT_DEFAULT });
  return {
    items: page.items,
    nextCursor: page.hasMore && page.lastId !== null ? encodeCursor(page.lastId) : null,
  };
};

export type { UsersPage };
export { listUsers, PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, PageQuerySchema };
