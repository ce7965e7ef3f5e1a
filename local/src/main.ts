/**
 * `npm start`: the whole pipeline on one machine, no AWS account and no Docker.
 * HTTP → Function URL event → API handler → local topic → queue (+DLQ) → subscriber handler → database.
 */
import { join } from 'node:path';
import { ConfigError } from '#shared/config/parseEnv.ts';
import { createLocalPipeline } from './createLocalPipeline.ts';
import { loadLocalConfig } from './localConfig.ts';
import { restoreQueues, saveQueues } from './queueSnapshot.ts';
import { servePipeline } from './servePipeline.ts';

const SHUTDOWN_DRAIN_MS = 5_000;

const main = async (): Promise<void> => {
  const started = performance.now();
  const config = loadLocalConfig(process.env);
  const pipeline = await createLocalPipeline({
    database: config.database,
    dataDir: config.database === undefined ? join(config.dataDir, 'pglite') : undefined,
    version: config.version,
    batchSize: config.batchSize,
    batchingWindowMs: config.batchingWindowMs,
    visibilityTimeoutMs: config.visibilityTimeoutMs,
    maxReceiveCount: config.maxReceiveCount,
    rawMessageDelivery: config.rawMessageDelivery,
    logLevel: config.logLevel,
    serviceName: config.serviceName,
  });
  const snapshotPath = join(config.dataDir, 'queues.json');
  const restored = restoreQueues(snapshotPath, [pipeline.queue, pipeline.dlq]);

  const server = await servePipeline(pipeline, { port: config.port, host: config.host });
  const { url } = server;

  const readyMs = Math.round(performance.now() - started);
  console.log(
    [
      '',
      `Ingesta local pipeline ready in ${readyMs} ms`,
      `  API (Function URL)   ${url}   GET /health · GET /users · GET /users/{id} · POST /users`,
      `  Database             ${pipeline.databaseDescription}`,
      `  Migrations applied   ${pipeline.appliedMigrations.length > 0 ? pipeline.appliedMigrations.join(', ') : 'none pending'}`,
      `  Topic → queue        ${pipeline.topic.arn} → ${pipeline.queue.name} (${config.rawMessageDelivery ? 'raw delivery' : 'SNS envelope'})`,
      `  Event source         batch ${config.batchSize}, window ${config.batchingWindowMs} ms, visibility ${config.visibilityTimeoutMs / 1000} s, DLQ after ${config.maxReceiveCount} receives`,
      `  Dead letters         ${url}/_local/dlq  (or: npm run dlq)   redrive: POST ${url}/_local/dlq/redrive`,
      `  Metrics              ${url}/_local/metrics  (Prometheus, service="${config.serviceName}")`,
      ...(restored > 0 ? [`  Restored             ${restored} queued message(s) from ${snapshotPath}`] : []),
      '',
      'Ctrl-C to stop.',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await server.close();
    // Give queued messages a moment to land, then keep whatever is left for the next start.
    const deadline = Date.now() + SHUTDOWN_DRAIN_MS;
    while (pipeline.queue.stats().visible > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await pipeline.eventSource.stop();
    const saved = saveQueues(snapshotPath, [pipeline.queue, pipeline.dlq]);
    await pipeline.close();
    console.log(saved > 0 ? `Saved ${saved} queued message(s) to ${snapshotPath}.` : 'Queues empty.');
    process.exit(0);
  };
  const onSignal = (signal: string) =>
    shutdown(signal).catch((error: unknown) => {
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
