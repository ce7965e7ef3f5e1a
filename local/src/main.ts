/**
 * `npm start`: the whole pipeline on one machine, no AWS account and no Docker.
 * HTTP → Function URL event → API handler → local topic → queue (+DLQ) → subscriber handler → database.
 */
import { join } from 'node:path';
import { ConfigError } from '#shared/config/parseEnv.ts';
import { createLocalPipeline, type LocalPipeline } from './createLocalPipeline.ts';
import { type InstanceLock, lockDataDir, lockSchema } from './instanceLock.ts';
import { loadLocalConfig } from './localConfig.ts';
import { LocalRuntimeError, PortInUseError } from './localErrors.ts';
import { reservePort } from './reservePort.ts';
import { type ServedPipeline, servePipeline } from './servePipeline.ts';
import { watchLauncher } from './watchLauncher.ts';

/** Read first: npm may be gone by the time the watch starts. */
const launcher = process.ppid;

const main = async (): Promise<void> => {
  const started = performance.now();
  const config = loadLocalConfig(process.env);
  const locks: InstanceLock[] = [];
  const releaseLocks = async () => {
    for (const lock of locks.splice(0).reverse()) await lock.release().catch(() => {});
  };
  let pipeline: LocalPipeline | undefined;
  let server: ServedPipeline;
  let released: number;
  try {
    // PGlite mode: the folder is the database, so claim it before anything opens it.
    if (config.database === undefined) locks.push(lockDataDir(config.dataDir));
    // Before the database opens (the slow part), so a busy port fails at once.
    const port = await reservePort(config.port, config.host);
    const awsPort = await reservePort(config.awsPort, config.host, 'LOCAL_AWS_PORT').catch(
      async (error: unknown) => {
        await port.release();
        throw error;
      },
    );
    if (config.database?.kind === 'url') locks.push(await lockSchema(config.database.url));
    pipeline = await createLocalPipeline({
      database: config.database,
      dataDir: config.database === undefined ? join(config.dataDir, 'pglite') : undefined,
      version: config.version,
      serviceName: config.serviceName,
      batchSize: config.batchSize,
      batchingWindowMs: config.batchingWindowMs,
      visibilityTimeoutMs: config.visibilityTimeoutMs,
      maxReceiveCount: config.maxReceiveCount,
      rawMessageDelivery: config.rawMessageDelivery,
      logLevel: config.logLevel,
    });
    // This process owns the queue now: what was in flight belonged to one that is gone.
    released = await pipeline.queue.releaseInFlight();
    await Promise.all([port.release(), awsPort.release()]);
    server = await servePipeline(pipeline, {
      port: config.port,
      host: config.host,
      awsPort: config.awsPort,
    }).catch((error) => {
      const busy = (error as NodeJS.ErrnoException & { port?: number }).code === 'EADDRINUSE';
      if (!busy) throw error;
      const aws = (error as { port?: number }).port === config.awsPort && config.awsPort !== config.port;
      throw aws
        ? new PortInUseError(config.awsPort, config.host, { cause: error, variable: 'LOCAL_AWS_PORT' })
        : new PortInUseError(config.port, config.host, { cause: error });
    });
  } catch (error) {
    await pipeline?.close().catch(() => {});
    await releaseLocks();
    throw error;
  }
  const ready = pipeline;
  const { url, awsUrl } = server;
  const [queued, dead] = await Promise.all([ready.queue.stats(), ready.dlq.stats()]);

  let stopping = false;
  const shutdown = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping…`);
    await server.close();
    // Every queued message is already in the database; only the batch under way is finished.
    await ready.eventSource.stop();
    const left = await ready.queue.stats().catch(() => undefined);
    await ready.close();
    await releaseLocks();
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
  // Run by npm: stop with it, even when it was killed too hard to pass a signal on.
  if (process.env.npm_lifecycle_event !== undefined)
    watchLauncher(launcher, () => void onSignal('npm exited'));

  const readyMs = Math.round(performance.now() - started);
  console.log(
    [
      '',
      `Ingesta local pipeline ready in ${readyMs} ms`,
      `  API (Function URL)   ${url}   GET /health · GET /users · GET /users/{id} · POST /users`,
      `  Console              ${url}/_local/   (watch the flow live in a browser)`,
      `  Database             ${ready.databaseDescription}`,
      `  Migrations applied   ${ready.appliedMigrations.length > 0 ? ready.appliedMigrations.join(', ') : 'none pending'}`,
      `  Topic → queue        ${ready.topic.arn} → ${ready.queue.name} (${config.rawMessageDelivery ? 'raw delivery' : 'SNS envelope'})`,
      `  Queue storage        table local_queue_messages in that database: ${queued.total} queued${released > 0 ? ` (${released} were in flight when the last run stopped)` : ''}, ${dead.total} dead`,
      `  Event source         batch ${config.batchSize}, window ${config.batchingWindowMs} ms, visibility ${config.visibilityTimeoutMs / 1000} s, DLQ after ${config.maxReceiveCount} receives`,
      `  AWS endpoint         ${awsUrl}   Lambda · SQS · SNS, any key and region: aws --endpoint-url ${awsUrl} lambda invoke --function-name ingesta-api …`,
      `  Dead letters         ${url}/_local/dlq  (or: npm run dlq)   redrive: curl -X POST ${url}/_local/dlq/redrive -H 'content-type: application/json'`,
      `  Metrics              ${url}/_local/metrics  (Prometheus, service="${config.serviceName}")`,
      '',
      'Ctrl-C to stop.',
    ].join('\n'),
  );
};

main().catch((error: unknown) => {
  // Known failures are one line; anything else keeps its stack.
  if (error instanceof ConfigError || error instanceof LocalRuntimeError) console.error(error.message);
  else console.error('Failed to start the local pipeline:', error);
  process.exit(1);
});
