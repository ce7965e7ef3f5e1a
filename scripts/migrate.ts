/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL (or DB_SECRET_ARN + DB_HOST).
 * In AWS, invoke the subscriber with {"action":"migrate"} instead; it runs the same code.
 */
import { connectPostgres } from '#shared/bootstrap/connectPostgres.ts';
import { loadSubscriberConfig } from '#shared/config/functionConfig.ts';
import { ConfigError } from '#shared/config/parseEnv.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { migrate } from '#shared/store/migrate.ts';
import { migrations } from '#shared/store/migrations/index.ts';

try {
  const config = loadSubscriberConfig(process.env);
  // With DB_IAM_AUTH the function's own role cannot migrate: the master user's secret does.
  const db = await connectPostgres(
    config.migrator ?? config.database,
    createLogger('ingesta-migrate', config.logLevel),
  );
  try {
    const report = await migrate(db, migrations);
    console.log(
      report.applied.length > 0
        ? `Applied ${report.applied.join(', ')}. Latest: ${report.latest}.`
        : `Nothing to apply. Latest: ${report.latest}.`,
    );
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
}
