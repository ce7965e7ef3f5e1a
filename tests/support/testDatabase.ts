import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrate } from '#shared/store/migrate.ts';
import { migrations } from '#shared/store/migrations/index.ts';
import { PgExecutor } from '#shared/store/pg/pgExecutor.ts';
import { PgliteExecutor } from '#shared/store/pglite/pgliteExecutor.ts';
import type { SqlExecutor } from '#shared/store/sqlExecutor.ts';

/**
 * Databases for integration tests: PGlite always, and the real PostgreSQL of DATABASE_URL when set.
 * Each PostgreSQL test gets its own schema (via search_path), so files can run in parallel.
 */
interface TestDatabase {
  db: SqlExecutor;
  /** For code that opens its own connections (the local pipeline); undefined for PGlite. */
  url: string | undefined;
  dispose(): Promise<void>;
}

interface Backend {
  name: 'PGlite' | 'PostgreSQL';
  open(options?: { migrated?: boolean }): Promise<TestDatabase>;
}

/** A private schema on the server of DATABASE_URL, and a URL whose connections default to it. */
const createSchema = async (baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> => {
  const schema = `it_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
};

const pglite: Backend = {
  name: 'PGlite',
  open: async ({ migrated = true } = {}) => {
    const db = new PgliteExecutor(await PGlite.create());
    if (migrated) await migrate(db, migrations);
    return { db, url: undefined, dispose: () => db.close() };
  },
};

const postgres = (baseUrl: string): Backend => ({
  name: 'PostgreSQL',
  open: async ({ migrated = true } = {}) => {
    const { url, drop } = await createSchema(baseUrl);
    const db = new PgExecutor(new pg.Pool({ connectionString: url, max: 4 }));
    if (migrated) await migrate(db, migrations);
    return {
      db,
      url,
      dispose: async () => {
        await db.close();
        await drop();
      },
    };
  },
});

const databaseUrl = process.env.DATABASE_URL || undefined;

/** Every backend this run can reach. */
const backends: Backend[] = [pglite, ...(databaseUrl ? [postgres(databaseUrl)] : [])];

/** The backend the local stack itself would pick: PostgreSQL when DATABASE_URL is set. */
const primaryBackend: Backend = databaseUrl ? postgres(databaseUrl) : pglite;

export type { Backend, TestDatabase };
export { backends, createSchema, primaryBackend };
