import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { z } from 'zod';
import { migrate } from '#shared/store/migrate.ts';
import { migrations } from '#shared/store/migrations/index.ts';
import { PgExecutor } from '#shared/store/pg/pgExecutor.ts';
import { PgliteExecutor } from '#shared/store/pglite/pgliteExecutor.ts';
import type { SqlExecutor } from '#shared/store/sqlExecutor.ts';
import { describeWith, type Requirement, RequirementMissingError, requirement } from './requirement.ts';

/**
 * Databases for integration tests: PGlite always, and the real PostgreSQL of DATABASE_URL.
 * Both are always listed: without DATABASE_URL the PostgreSQL suites are skipped by name, or fail on CI.
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
  /** What this run lacks to use it, if anything. */
  requirement: Requirement;
  open(options?: { migrated?: boolean }): Promise<TestDatabase>;
}

/** A PostgreSQL database always has a URL, for code that connects by itself. */
interface PostgresBackend extends Backend {
  open(options?: { migrated?: boolean }): Promise<TestDatabase & { url: string }>;
}

const blankIsUnset = (value: unknown) => (value === '' ? undefined : value);

/**
 * TEST_DATABASE names the database a CI leg is for. `pglite`: PostgreSQL is left out on purpose (another
 * leg runs it), so its suites skip even on CI. `postgresql`: DATABASE_URL must be set, by hand too.
 */
const TestEnvironment = z.object({
  DATABASE_URL: z.preprocess(blankIsUnset, z.string().optional()),
  TEST_DATABASE: z.preprocess(blankIsUnset, z.enum(['pglite', 'postgresql']).optional()),
});

/** What this run lacks to test on PostgreSQL, read from DATABASE_URL, TEST_DATABASE and CI. */
const postgresqlRequirement = (processEnv: NodeJS.ProcessEnv = process.env): Requirement => {
  const env = TestEnvironment.parse(processEnv);
  if (env.DATABASE_URL !== undefined) return requirement(undefined);
  switch (env.TEST_DATABASE) {
    case 'pglite':
      return requirement('PostgreSQL: set DATABASE_URL (left out on purpose: TEST_DATABASE=pglite)', {
        optional: true,
      });
    case 'postgresql':
      return { missing: 'PostgreSQL: set DATABASE_URL (TEST_DATABASE=postgresql)', mandatory: true };
    case undefined:
      return requirement('PostgreSQL: set DATABASE_URL', { env: processEnv });
  }
};

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
  requirement: requirement(undefined),
  open: async ({ migrated = true } = {}) => {
    const db = new PgliteExecutor(await PGlite.create());
    if (migrated) await migrate(db, migrations);
    return { db, url: undefined, dispose: () => db.close() };
  },
};

const postgres = (baseUrl: string | undefined, needs: Requirement): PostgresBackend => ({
  name: 'PostgreSQL',
  requirement: needs,
  open: async ({ migrated = true } = {}) => {
    // Reached only by a suite that bypasses describeOn.
    if (baseUrl === undefined) throw new RequirementMissingError(needs.missing ?? 'PostgreSQL');
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

const databaseUrl = TestEnvironment.parse(process.env).DATABASE_URL;
const postgresql = postgres(databaseUrl, postgresqlRequirement());

/** Both backends, always: one this run cannot reach shows up as skipped (or failing on CI), never absent. */
const backends: readonly Backend[] = [pglite, postgresql];

/** The backend the local stack itself would pick: PostgreSQL when DATABASE_URL is set. */
const primaryBackend: Backend = databaseUrl === undefined ? pglite : postgresql;

/** A describe block on one backend, titled `title` with `$name` replaced by the backend's name. */
const describeOn = <B extends Backend>(backend: B, title: string, fn: (backend: B) => void): void =>
  describeWith(backend.requirement, title.replaceAll('$name', backend.name), () => fn(backend));

/** The same describe block on every backend. */
const describeEachBackend = (title: string, fn: (backend: Backend) => void): void => {
  for (const backend of backends) describeOn(backend, title, fn);
};

export type { Backend, PostgresBackend, TestDatabase };
export { createSchema, describeEachBackend, describeOn, postgresql, postgresqlRequirement, primaryBackend };
