import { decodeCursor, encodeCursor } from './cursor.ts';
import { ValidationError } from './errors.ts';
import type { UserStore } from './ports.ts';
import type { User } from './user.ts';
import { toFieldIssues } from './zodIssues.ts';
import * as z from './zodMini.ts';

const PAGE_LIMIT_MAX = 500;
const PAGE_LIMIT_DEFAULT = 50;

const PageQuerySchema = z.object({
  limit: z.optional(
    z.pipe(
      z.pipe(
        z.string().check(z.regex(/^[0-9]{1,4}$/, `limit must be an integer from 1 to ${PAGE_LIMIT_MAX}`)),
        z.transform(Number),
      ),
      z.number().check(z.int(), z.gte(1), z.lte(PAGE_LIMIT_MAX, `limit must be at most ${PAGE_LIMIT_MAX}`)),
    ),
  ),
  cursor: z.optional(z.string()),
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
