import type { QueryResult, SqlExecutor } from '#shared/store/sqlExecutor.ts';

/**
 * Fault injection at the store's boundary: wraps a real executor and fails every call while
 * `down` is set, the way a dropped database connection surfaces in node-postgres.
 */
class FlakyExecutor implements SqlExecutor {
  down = false;
  failures = 0;
  readonly #inner: SqlExecutor;

  constructor(inner: SqlExecutor) {
    this.#inner = inner;
  }

  #check(): void {
    if (this.down) {
      this.failures += 1;
      throw new Error('Connection terminated unexpectedly');
    }
  }

  async query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>> {
    this.#check();
    return this.#inner.query<Row>(text, params);
  }

  async exec(text: string): Promise<void> {
    this.#check();
    return this.#inner.exec(text);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.#check();
    return this.#inner.transaction(work);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

export { FlakyExecutor };
