/**
 * `npm start`: the whole pipeline on one machine, no AWS account and no Docker.
 * HTTP → Function URL event → API handler → local topic → queue (+DLQ) → subscriber handler → database.
 */
import { join } from 'node:path';
import { ConfigError } from '#shared/errors.ts';
import { createLocalPipeline } from './createLocalPipeline.ts';
import { loadLocalConfig } from './localConfig.ts';
import { servePipeline } from './servePipeline.ts';

const main = async (): Promise<void> => {
  const started = performance.now();
  const config = loadLocalConfig(process.env);
  const pipeline = await createLocalPipeline({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl === undefined ? join(config.dataDir, 'pglite') : undefined,
    batchSize: config.batchSize,
    batchingWindowMs: config.batchingWindowMs,
    visibilityTimeoutMs: config.visibilityTimeoutMs,
    maxReceiveCount: config.maxReceiveCount,
    rawMessageDelivery: config.rawMessageDelivery,
    logLevel: config.logLevel,
  });
  // What was in flight belonged to a run that is gone.
  const released = await pipeline.queue.releaseInFlight();
  const server = await servePipeline(pipeline, { port: config.port, host: config.host });
  const { url } = server;
  const [queued, dead] = await Promise.all([pipeline.queue.stats(), pipeline.dlq.stats()]);

  const readyMs = Math.round(performance.now() - started);
  console.log(
    [
      '',
      `Ingesta local pipeline ready in ${readyMs} ms`,
      `  API (Function URL)   ${url}   GET /health · GET /users · GET /users/{id} · POST /users`,
      `  Database             ${pipeline.databaseDescription}`,
      `  Migrations applied   ${pipeline.appliedMigrations.length > 0 ? pipeline.appliedMigrations.join(', ') : 'none pending'}`,
      `  Topic → queue        ${pipeline.topic.arn} → ${pipeline.queue.name} (${config.rawMessageDelivery ? 'raw delivery' : 'SNS envelope'})`,
      `  Queue storage        table local_queue_messages in that database: ${queued.total} queued${released > 0 ? ` (${released} were in flight when the last run stopped)` : ''}, ${dead.total} dead`,
      `  Event source         batch ${config.batchSize}, window ${config.batchingWindowMs} ms, visibility ${config.visibilityTimeoutMs / 1000} s, DLQ after ${config.maxReceiveCount} receives`,
      `  Dead letters         ${url}/_local/dlq  (or: npm run dlq)   redrive: POST ${url}/_local/dlq/redrive`,
      `  Metrics              ${url}/_local/metrics  (Prometheus)`,
      '',
      'Ctrl-C to stop.',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping…`);
    await server.close();
    // Every queued message is already in the database; only the batch under way is finished.
    await pipeline.eventSource.stop();
    const left = await pipeline.queue.stats().catch(() => undefined);
    await pipeline.close();
    console.log(
      left && left.total > 0
        ? `Stopped; ${left.total} queued message(s) wait in the database for the next start.`
        : 'Stopped.',
    );
    process.exit(0);
  };
  const onSignal = (reason: string) =>
    shutdown(reason).catch((error: unknown) => {
      console.error('Shutdown failed:', error);
      process.exit(1);
    });
  process.on('SIGINT', () => void onSignal('SIGINT'));
  process.on('SIGTERM', () => void onSignal('SIGTERM'));
};

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('Failed to start the local pipeline:', error);
  process.exit(1);
});
