import type { Migration } from './migrations/migration.ts';
import type { SqlExecutor } from './sqlExecutor.ts';

interface MigrationReport {
  applied: string[];
  latest: string | null;
}

/** Any fixed key works; it only has to be the same for every process that migrates this database. */
const MIGRATION_LOCK_KEY = 7_142_316_001;

/**
 * Applies pending migrations in one transaction under an advisory lock, so concurrent deploys or
 * local starts serialise and a failed migration leaves nothing half-applied.
 */
const migrate = async (db: SqlExecutor, migrations: readonly Migration[]): Promise<MigrationReport> =>
  db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         id text PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM schema_migrations');
    const done = new Set(rows.map((r) => r.id));
    const known = new Set(migrations.map((m) => m.id));
    const unknown = [...done].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      // The database is ahead of this code: refuse rather than run against a schema we do not know.
      throw new Error(`Database has migrations this build does not know: ${unknown.join(', ')}`);
    }
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
      applied.push(migration.id);
    }
    return { applied, latest: migrations.at(-1)?.id ?? null };
  });

export type { MigrationReport };
export { migrate };
