import type { Logger } from '@aws-lambda-powertools/logger';
import type { SubscriberConfig } from '../config/functionConfig.ts';
import { type MigrationReport, migrate } from '../store/migrate.ts';
import { migrations } from '../store/migrations/index.ts';
import type { SqlExecutor } from '../store/sqlExecutor.ts';
import { connectPostgres } from './connectPostgres.ts';

/**
 * Migrations as the config says: over the function's own connection, or, when the function logs in with
 * IAM as a role that cannot change the schema, as the master user on a connection opened for this run
 * alone and closed after it.
 */
const migrationRunner =
  (config: SubscriberConfig, db: SqlExecutor, logger: Logger) => async (): Promise<MigrationReport> => {
    if (config.migrator === undefined) return migrate(db, migrations);
    const owner = await connectPostgres(config.migrator, logger);
    try {
      return await migrate(owner, migrations);
    } finally {
      await owner.close();
    }
  };

export { migrationRunner };
