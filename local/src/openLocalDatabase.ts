import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { DatabaseConfig } from '#shared/config/databaseConfig.ts';
import { type MigrationReport, migrate } from '#shared/store/migrate.ts';
import { migrations } from '#shared/store/migrations/index.ts';
import { createPgPool } from '#shared/store/pg/createPgPool.ts';
import { PgExecutor } from '#shared/store/pg/pgExecutor.ts';
import { PgliteExecutor } from '#shared/store/pglite/pgliteExecutor.ts';
import type { SqlExecutor } from '#shared/store/sqlExecutor.ts';
import { localDatabaseConfig } from './localConfig.ts';
import { copyTemplate, defaultTemplate, installedPglite } from './pgliteTemplate.ts';

interface LocalDatabaseOptions {
  /** Real PostgreSQL when set (from the same variables the Lambdas read). */
  database?: DatabaseConfig | undefined;
  /** Shorthand for `database`: this URL with the defaults `npm start` applies. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; omitted means in-memory (tests). */
  dataDir?: string | undefined;
  /** Where new PGlite data directories are copied from (pgliteTemplate.ts); default: node_modules/.cache. */
  pgliteTemplateDir?: string | undefined;
}

interface LocalDatabase {
  db: SqlExecutor;
  description: string;
  migrations: MigrationReport;
}

/** Set in npm start's bundle (local/launcher/build.ts): initPgliteDataDir.ts bundled beside it. */
declare const __INGESTA_INIT_PGLITE_SCRIPT__: string | undefined;

/**
 * A new data directory is copied from this machine's template when there is an intact one; otherwise made by a
 * child process (initPgliteDataDir.ts, under the same loader as this one, or bundled beside npm start's bundle),
 * which saves the template: initdb's ~800 MB then leave with it, instead of staying in npm start until the next
 * restart.
 */
const initDataDir = async (dataDir: string, templateDir: string | undefined): Promise<void> => {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const template =
    templateDir === undefined ? defaultTemplate() : { dir: templateDir, pglite: installedPglite().version };
  if (template !== undefined && copyTemplate(template.dir, template.pglite, dataDir)) return;
  const script =
    typeof __INGESTA_INIT_PGLITE_SCRIPT__ === 'string'
      ? __INGESTA_INIT_PGLITE_SCRIPT__
      : fileURLToPath(new URL('./initPgliteDataDir.ts', import.meta.url));
  const templateArgs = template === undefined ? [] : [template.dir, template.pglite];
  await promisify(execFile)(process.execPath, [...process.execArgv, script, dataDir, ...templateArgs]);
};

const redact = (url: string): string => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

/** Opens PGlite (default) or PostgreSQL, and applies migrations. */
const openLocalDatabase = async (options: LocalDatabaseOptions): Promise<LocalDatabase> => {
  const { dataDir } = options;
  const database =
    options.database ??
    (options.databaseUrl === undefined ? undefined : localDatabaseConfig(options.databaseUrl));
  let db: SqlExecutor;
  let description: string;
  if (database !== undefined) {
    db = new PgExecutor(
      // The same bounded pool the Lambdas use; a dropped idle connection is logged, not fatal.
      await createPgPool(database, {
        onError: (error) => console.warn('local database: idle connection failed:', error.message),
      }),
    );
    description = `PostgreSQL ${database.kind === 'url' ? redact(database.url) : database.host}`;
  } else {
    if (dataDir !== undefined) {
      mkdirSync(dataDir, { recursive: true });
      await initDataDir(dataDir, options.pgliteTemplateDir);
    }
    // Loaded only here: PGlite's WASM module costs ~40 MB of memory that PostgreSQL mode never needs.
    const { createLocalPglite } = await import('./pgliteSettings.ts');
    db = new PgliteExecutor(await createLocalPglite(dataDir));
    description = dataDir === undefined ? 'PGlite (embedded, in memory)' : `PGlite (embedded) in ${dataDir}`;
  }
  try {
    return { db, description, migrations: await migrate(db, migrations) };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
};

export type { LocalDatabase, LocalDatabaseOptions };
export { openLocalDatabase };
