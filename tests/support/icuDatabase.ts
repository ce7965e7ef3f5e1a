import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '#shared/store/migrate.ts';
import { migrations } from '#shared/store/migrations/index.ts';
import { PgExecutor } from '#shared/store/pg/pgExecutor.ts';
import type { TestDatabase } from './testDatabase.ts';

/**
 * A migrated database on the server of `baseUrl` whose default collation is ICU en-US, like
 * Aurora PostgreSQL's en_US default: letters sort case-insensitively first ('a-1' < 'B-1'), where
 * "C" (and the test server's C.UTF-8) sorts by byte ('B-1' < 'a-1'). Dropped on dispose.
 */
const openIcuDatabase = async (baseUrl: string): Promise<TestDatabase> => {
  const name = `it_icu_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(
    `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`,
  );
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = new PgExecutor(new pg.Pool({ connectionString: url.toString(), max: 4 }));
  await migrate(db, migrations);
  return {
    db,
    url: url.toString(),
    dispose: async () => {
      await db.close();
      await admin(`DROP DATABASE ${name} WITH (FORCE)`);
    },
  };
};

export { openIcuDatabase };
