import type { PGlite, Transaction } from '@electric-sql/pglite';
import { type QueryResult, type SqlExecutor, transactionScope } from '../sqlExecutor.ts';

type Queryable = PGlite | Transaction;

const run = async <Row>(
  db: Queryable,
  text: string,
  params?: readonly unknown[],
): Promise<QueryResult<Row>> => {
  const result = await db.query<Row>(text, params as unknown[] | undefined);
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
};

const transactionExecutor = (tx: Transaction): SqlExecutor =>
  transactionScope(
    (text, params) => run(tx, text, params),
    async (text) => {
      await tx.exec(text);
    },
  );

/** Embedded Postgres (WASM) adapter for the local stack and tests. One instance, queries queued. */
class PgliteExecutor implements SqlExecutor {
  readonly #db: PGlite;

  constructor(db: PGlite) {
    this.#db = db;
  }

  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    return run<Row>(this.#db, text, params);
  }

  async exec(text: string): Promise<void> {
    await this.#db.exec(text);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#db.transaction((tx) => work(transactionExecutor(tx)));
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}

export { PgliteExecutor };
