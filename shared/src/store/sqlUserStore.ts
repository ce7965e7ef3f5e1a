import type { UpsertOutcome, UserPage, UserStore } from '../domain/ports.ts';
import type { User } from '../domain/user.ts';
import type { UserEvent } from '../domain/userEvent.ts';
import { ClassifiedSqlStore } from './databaseErrors.ts';

/**
 * A row as SELECT_COLUMNS shapes it. Our migrations own these columns (text, bigint cast to text, timestamptz),
 * so a row is mapped, not validated: a zod parse per row cost more than the rest of a page's work.
 */
interface UserRow {
  id: string;
  name: string;
  email: string;
  /** Both drivers return timestamptz as Date; a string (another driver's choice) is read the same way. */
  created_at: Date | string;
  updated_at: Date | string;
}

const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();

const toUser = (r: UserRow): User => ({
  id: r.id,
  name: r.name,
  email: r.email,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

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
 * Sorted by UTF-8 byte order, the "C" collation's. Any one total order keeps concurrent batches from
 * locking rows in opposite orders; this one is also what `ORDER BY email COLLATE "C"` gives in SQL. Each
 * email is encoded once, not once per comparison.
 */
const inByteOrder = (events: readonly UserEvent[]): UserEvent[] =>
  events
    .map((event) => ({ event, key: Buffer.from(event.user.email) }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map(({ event }) => event);

class SqlUserStore extends ClassifiedSqlStore implements UserStore {
  async listUsers({ afterId, limit }: { afterId: string | null; limit: number }): Promise<UserPage> {
    // One extra row tells whether another page exists without a COUNT. Order by the bigint column,
    // not the text alias of the same name.
    const { rows } = await this.query<UserRow>(
      `SELECT ${SELECT_COLUMNS} FROM users WHERE users.id > $1::bigint ORDER BY users.id LIMIT $2`,
      [afterId ?? '0', limit + 1],
    );
    const hasMore = rows.length > limit;
    const items = rows.slice(0, limit).map(toUser);
    return { items, hasMore, lastId: items.at(-1)?.id ?? null };
  }

  async getUser(id: string): Promise<User | null> {
    const { rows } = await this.query<UserRow>(`SELECT ${SELECT_COLUMNS} FROM users WHERE id = $1::bigint`, [
      id,
    ]);
    return rows[0] === undefined ? null : toUser(rows[0]);
  }

  async upsertUsers(events: readonly UserEvent[]): Promise<UpsertOutcome> {
    if (events.length === 0) return { written: 0 };
    // Rows are written, so locked, in one order: concurrent batches with shared emails wait for each
    // other instead of deadlocking.
    const sorted = inByteOrder(events);
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
