import type pg from 'pg';
import { type QueryResult, type SqlExecutor, transactionScope } from '../sqlExecutor.ts';

type Queryable = pg.Pool | pg.PoolClient;

const run = async <Row>(
  db: Queryable,
  text: string,
  params?: readonly unknown[],
): Promise<QueryResult<Row>> => {
  const result = await db.query(text, params as unknown[] | undefined);
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
};

const clientExecutor = (client: pg.PoolClient): SqlExecutor =>
  transactionScope(
    (text, params) => run(client, text, params),
    async (text) => {
      await client.query(text);
    },
  );

/** node-postgres adapter. The pool is created by the caller (once per container) and reused. */
class PgExecutor implements SqlExecutor {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    return run<Row>(this.#pool, text, params);
  }

  async exec(text: string): Promise<void> {
    await this.#pool.query(text);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(clientExecutor(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

export { PgExecutor };
