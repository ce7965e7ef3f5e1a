import { afterAll, beforeAll, expect, it } from 'vitest';
import { RowRejectedError } from '#shared/domain/errors.ts';
import type { UserEvent } from '#shared/domain/userEvent.ts';
import type { QueryResult, SqlExecutor } from '#shared/store/sqlExecutor.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { describeEachBackend, type TestDatabase } from '../support/testDatabase.ts';

/**
 * Two subscriber invocations may write batches with the same emails at the same time (SQS delivers
 * to concurrent Lambdas in no order). Rows locked in opposite orders used to deadlock (40P01), and a
 * deadlock failed the whole batch until the visibility timeout.
 */

const ROUNDS = 200;

/** The SQLSTATE of an error or of any error it wraps. */
const sqlState = (error: unknown): string | undefined => {
  for (let e = error; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
};

const event = (email: string, eventId: string, micros: number): UserEvent => ({
  eventId,
  occurredAt: `2026-01-01T00:00:00.${String(micros).padStart(6, '0')}Z`,
  user: { name: eventId, email },
});

/**
 * A real database, watched: counts every upsert and every deadlock the database raises (whether or
 * not the store then retries), and can make the next `inject` upserts fail as a deadlock victim does.
 */
class DeadlockWatch implements SqlExecutor {
  upserts = 0;
  deadlocks = 0;
  readonly #inner: SqlExecutor;
  #inject: number;

  constructor(inner: SqlExecutor, inject = 0) {
    this.#inner = inner;
    this.#inject = inject;
  }

  async query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>> {
    if (!text.includes('ON CONFLICT')) return this.#inner.query<Row>(text, params);
    this.upserts += 1;
    if (this.#inject > 0) {
      this.#inject -= 1;
      throw Object.assign(new Error('deadlock detected'), { code: '40P01', severity: 'ERROR' });
    }
    try {
      return await this.#inner.query<Row>(text, params);
    } catch (error) {
      if (sqlState(error) === '40P01') this.deadlocks += 1;
      throw error;
    }
  }

  exec(text: string): Promise<void> {
    return this.#inner.exec(text);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#inner.transaction(work);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

describeEachBackend('concurrent overlapping batches on $name', (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await backend.open();
  });
  afterAll(() => database.dispose());

  it.each([10, 100])('never deadlock, and the newer event wins every row (batches of %i)', async (size) => {
    await database.db.exec('DELETE FROM users');
    const db = new DeadlockWatch(database.db);
    const store = new SqlUserStore(db);
    const errors: string[] = [];
    let unwritten = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      // Half the emails exist already (updates), half are new this round (inserts).
      const emails = Array.from({ length: size }, (_, i) =>
        i % 2 === 0 ? `kept-${i}@x.io` : `r${round}-${i}@x.io`,
      );
      const first = emails.map((email) => event(email, `first-${round}`, round * 10 + 1));
      const second = emails.map((email) => event(email, `second-${round}`, round * 10 + 2)).reverse();
      const outcomes = await Promise.allSettled([store.upsertUsers(first), store.upsertUsers(second)]);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') errors.push(String(outcome.reason));
      }
      const { rows } = await database.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM users WHERE email = ANY($1) AND name = $2',
        [emails, `second-${round}`],
      );
      if (rows[0]?.n !== size) unwritten += 1;
    }
    // Counted over every round, so a failure says how often, not just that it happened. Deadlocks are
    // those the database raised, including any the store retried.
    expect({ deadlocks: db.deadlocks, unwritten, errors: errors.slice(0, 3) }).toEqual({
      deadlocks: 0,
      unwritten: 0,
      errors: [],
    });
  });
});

describeEachBackend('a batch chosen as a deadlock victim on $name', (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await backend.open();
  });
  afterAll(() => database.dispose());

  it('is written once more and lands', async () => {
    const db = new DeadlockWatch(database.db, 1);
    const outcome = await new SqlUserStore(db).upsertUsers([event('victim@x.io', 'v-1', 1)]);
    expect({ outcome, upserts: db.upserts }).toEqual({ outcome: { written: 1 }, upserts: 2 });
    const { rows } = await database.db.query("SELECT name FROM users WHERE email = 'victim@x.io'");
    expect(rows).toEqual([{ name: 'v-1' }]);
  });

  it('fails after a second deadlock, as a database failure rather than a refused row', async () => {
    const db = new DeadlockWatch(database.db, 2);
    const error = await new SqlUserStore(db).upsertUsers([event('twice@x.io', 't-1', 1)]).catch((e) => e);
    expect(error).not.toBeInstanceOf(RowRejectedError);
    expect({ state: sqlState(error), upserts: db.upserts }).toEqual({ state: '40P01', upserts: 2 });
  });
});
