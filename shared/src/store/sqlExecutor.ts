/**
 * The little a store needs from a Postgres client. node-postgres and PGlite each get a thin
 * adapter, so the SQL lives once in SqlUserStore.
 */
interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

interface SqlExecutor {
  /** One statement with positional parameters ($1, $2, …). */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
  /** Runs `work` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** What a transaction hands its work: the same connection, no nesting, closed by the transaction itself. */
const transactionScope = (query: SqlExecutor['query'], exec: SqlExecutor['exec']): SqlExecutor => ({
  query,
  exec,
  transaction: () => Promise.reject(new Error('Nested transactions are not supported.')),
  close: async () => {},
});

export type { QueryResult, SqlExecutor };
export { transactionScope };
