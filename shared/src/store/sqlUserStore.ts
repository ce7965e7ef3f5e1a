import { z } from 'zod';
import type { UpsertOutcome, UserPage, UserStore } from '../domain/ports.ts';
import type { User } from '../domain/user.ts';
import type { UserEvent } from '../domain/userEvent.ts';
import { ClassifiedSqlStore } from './databaseErrors.ts';

/** Both drivers return timestamptz as Date; accept strings too so a driver change fails loudly only if wrong. */
const Timestamp = z.union([z.date(), z.string()]).transform((v) => new Date(v).toISOString());

const UserRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

const toUser = (row: unknown): User => {
  const r = UserRowSchema.parse(row);
  return { id: r.id, name: r.name, email: r.email, createdAt: r.created_at, updatedAt: r.updated_at };
};

const SELECT_COLUMNS = 'id::text AS id, name, email, created_at, updated_at';

/**
 * Last writer wins by (occurred_at, event_id): a redelivered event compares equal and changes
 * nothing; an older event never overwrites a newer one. One statement per batch via unnest.
 */
const UPSERT_SQL = `
INSERT INTO users (name, email, last_event_id, last_event_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
ON CONFLICT (email) DO UPDATE
  SET name = EXCLUDED.name,
      last_event_id = EXCLUDED.last_event_id,
      last_event_at = EXCLUDED.last_event_at,
      updated_at = now()
  WHERE (users.last_event_at, users.last_event_id) < (EXCLUDED.last_event_at, EXCLUDED.last_event_id)`;

const DEADLOCK_DETECTED = '40P01';

const isDeadlock = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === DEADLOCK_DETECTED;

/**
 * UTF-8 byte order, the "C" collation's. Any one total order keeps concurrent batches from locking
 * rows in opposite orders; this one is also what `ORDER BY email COLLATE "C"` gives in SQL.
 */
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

class SqlUserStore extends ClassifiedSqlStore implements UserStore {
  async listUsers({ afterId, limit }: { afterId: string | null; limit: number }): Promise<UserPage> {
    // One extra row tells whether another page exists without a COUNT. Order by the bigint column,
    // not the text alias of the same name.
    const { rows } = await this.query(
      `SELECT ${SELECT_COLUMNS} FROM users WHERE users.id > $1::bigint ORDER BY users.id LIMIT $2`,
      [afterId ?? '0', limit + 1],
    );
    const hasMore = rows.length > limit;
    const items = rows.slice(0, limit).map(toUser);
    return { items, hasMore, lastId: items.at(-1)?.id ?? null };
  }

  async getUser(id: string): Promise<User | null> {
    const { rows } = await this.query(`SELECT ${SELECT_COLUMNS} FROM users WHERE id = $1::bigint`, [id]);
    return rows[0] === undefined ? null : toUser(rows[0]);
  }

  async upsertUsers(events: readonly UserEvent[]): Promise<UpsertOutcome> {
    if (events.length === 0) return { written: 0 };
    // Rows are written, so locked, in one order: concurrent batches with shared emails wait for each
    // other instead of deadlocking.
    const sorted = [...events].sort((a, b) => byteOrder(a.user.email, b.user.email));
    const write = () =>
      this.query(UPSERT_SQL, [
        sorted.map((e) => e.user.name),
        sorted.map((e) => e.user.email),
        sorted.map((e) => e.eventId),
        sorted.map((e) => e.occurredAt),
      ]);
    // Another writer (a backfill, a manual fix) may still lock in its own order. The deadlock's
    // victim was rolled back whole, so writing it once more is safe.
    const { rowCount } = await write().catch((error: unknown) => {
      if (!isDeadlock(error)) throw error;
      return write();
    });
    return { written: rowCount };
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }
}

export { SqlUserStore };
