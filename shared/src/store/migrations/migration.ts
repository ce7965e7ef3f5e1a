/** A forward-only schema change. Ids sort in the order they apply and never change once shipped. */
interface Migration {
  id: string;
  sql: string;
}

export type { Migration };
