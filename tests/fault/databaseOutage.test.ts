import pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalQueue } from '#local/localQueue.ts';
import { LocalTopic } from '#local/localTopic.ts';
import { ensureQueueSchema } from '#local/queueSchema.ts';
import { SqsEventSource } from '#local/sqsEventSource.ts';
import { userEventAttributes } from '#shared/domain/userEvent.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import { migrate } from '#shared/store/migrate.ts';
import { migrations } from '#shared/store/migrations/index.ts';
import { createPgPool } from '#shared/store/pg/createPgPool.ts';
import { PgExecutor } from '#shared/store/pg/pgExecutor.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { createSubscriberHandler } from '#subscriber/createSubscriberHandler.ts';
import { FlakyExecutor } from '../support/flakyExecutor.ts';
import { eventually } from '../support/localStack.ts';
import { primaryBackend, type TestDatabase } from '../support/testDatabase.ts';

const MAX_RECEIVES = 4;

/**
 * The real topic → queue → event source → subscriber chain, with the store's writes failing on demand
 * (the queue keeps its own connection to the same database, as if only the users' writes were hit).
 */
const pipeline = async (database: TestDatabase, name: string) => {
  const flaky = new FlakyExecutor(database.db);
  await ensureQueueSchema(database.db);
  const dlq = await LocalQueue.open(database.db, { name: `${name}-dlq`, visibilityTimeoutMs: 0 });
  const queue = await LocalQueue.open(database.db, {
    name,
    // Long enough for every record to fail once before the first ones run out of receives.
    visibilityTimeoutMs: 250,
    redrive: { deadLetterQueue: dlq, maxReceiveCount: MAX_RECEIVES },
  });
  const topic = new LocalTopic({ name: 't' });
  topic.subscribe(queue);
  const handler = createSubscriberHandler({
    store: new SqlUserStore(flaky),
    logger: createLogger('ingesta-suscriptor', 'SILENT'),
    metrics: new PrometheusPipelineMetrics(new Registry()),
    migrate: () => migrate(flaky, migrations),
    onRecordFailure: (f) => source.recordFailure(f.id, f.reason),
  });
  const source = new SqsEventSource({
    queue,
    invoke: handler,
    functionName: 'sub',
    batchSize: 10,
    idlePollMs: 10,
  });
  const publish = async (n: number, prefix: string) => {
    for (let i = 0; i < n; i += 1) {
      const event = {
        eventId: `${prefix}-${i}`,
        occurredAt: new Date().toISOString(),
        user: { name: 'U', email: `${prefix}-${i}@x.io` },
      };
      await topic.publish(JSON.stringify(event), userEventAttributes());
    }
  };
  return { flaky, queue, dlq, source, publish };
};

const count = async (database: TestDatabase, prefix: string) =>
  (
    await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE email LIKE $1', [
      `${prefix}-%`,
    ])
  ).rows[0]?.n;

describe(`database outage on ${primaryBackend.name}`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await primaryBackend.open();
  });
  afterAll(() => database.dispose());

  it('a short outage delays records but loses none: they are retried and land once', async () => {
    const p = await pipeline(database, 'short');
    await p.publish(25, 'short');
    p.flaky.down = true;
    p.source.start();
    try {
      // Every message has been tried and failed at least once.
      await eventually(async () => {
        const messages = await p.queue.list();
        return messages.length === 25 && messages.every((m) => m.lastError !== null) ? true : undefined;
      });
      expect((await p.queue.list())[0]?.lastError).toBe(
        'Database write failed: Connection terminated unexpectedly',
      );
      p.flaky.down = false;
      await eventually(async () => ((await p.queue.stats()).total === 0 ? true : undefined));
    } finally {
      await p.source.stop();
    }
    expect(await count(database, 'short')).toBe(25);
    expect((await p.dlq.stats()).total).toBe(0);
  });

  it('an outage longer than the retries dead-letters records with the reason; a redrive lands them all', async () => {
    const p = await pipeline(database, 'long');
    await p.publish(12, 'long');
    p.flaky.down = true;
    p.source.start();
    try {
      await eventually(async () => ((await p.dlq.stats()).total === 12 ? true : undefined));
      expect((await p.dlq.list()).every((m) => m.receiveCount === MAX_RECEIVES)).toBe(true);
      expect(new Set((await p.dlq.list()).map((m) => m.lastError))).toEqual(
        new Set(['Database write failed: Connection terminated unexpectedly']),
      );
      expect(await count(database, 'long')).toBe(0);

      p.flaky.down = false;
      expect(await p.dlq.redriveTo(p.queue)).toBe(12);
      await eventually(async () => ((await p.queue.stats()).total === 0 ? true : undefined));
    } finally {
      await p.source.stop();
    }
    expect(await count(database, 'long')).toBe(12);
    expect((await p.dlq.stats()).total).toBe(0);
  });
});

const databaseUrl = process.env.DATABASE_URL || undefined;

// Needs a PostgreSQL server to kill connections on: runs when DATABASE_URL is set (the second CI pass).
describe.each(databaseUrl ? [databaseUrl] : [])('pool when the server kills its connections (%s)', (url) => {
  it('survives idle connections being terminated and serves the next query on a fresh one', async () => {
    const applicationName = `ingesta-fault-${process.pid}-${Date.now()}`;
    const onError = vi.fn();
    const pool = await createPgPool(
      {
        kind: 'url',
        url,
        ssl: undefined,
        poolMax: 3,
        statementTimeoutMs: 5_000,
        connectTimeoutMs: 5_000,
        applicationName,
      },
      { onError },
    );
    const store = new SqlUserStore(new PgExecutor(pool));
    try {
      // Open three connections and leave them idle in the pool.
      await Promise.all([store.ping(), store.ping(), store.ping()]);
      expect(pool.idleCount).toBe(3);

      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const killed = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      await admin.end();
      expect(killed.rowCount).toBe(3);

      // The pool hears about its dead clients, drops them, and the process keeps running.
      await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(3));
      expect(pool.idleCount).toBe(0);
      await store.ping();
      expect(pool.totalCount).toBeGreaterThanOrEqual(1);
    } finally {
      await pool.end();
    }
  });
});
