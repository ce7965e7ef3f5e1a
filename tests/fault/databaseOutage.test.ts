import pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLambdaContext } from '#local/lambdaContext.ts';
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
import { snsEnvelopeBody, sqsEvent, sqsRecord, userEventBody } from '../support/events.ts';
import { FlakyExecutor } from '../support/flakyExecutor.ts';
import { eventually } from '../support/localStack.ts';
import { describeOn, postgresql, primaryBackend, type TestDatabase } from '../support/testDatabase.ts';

const MAX_RECEIVES = 4;
const UNAVAILABLE = /The database is unavailable.*Connection terminated unexpectedly/;

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
      // The thrown batch names the database and the driver's reason.
      expect((await p.queue.list())[0]?.lastError).toMatch(UNAVAILABLE);
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
      expect((await p.dlq.list()).every((m) => UNAVAILABLE.test(m.lastError ?? ''))).toBe(true);
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

describe(`a database outage seen by the subscriber on ${primaryBackend.name}`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await primaryBackend.open();
  });
  afterAll(() => database.dispose());

  it('fails the whole batch as an error (thrown, so Lambda retries it and counts an Errors), not as partial', async () => {
    const flaky = new FlakyExecutor(database.db);
    const registry = new Registry();
    const reported: string[] = [];
    const handler = createSubscriberHandler({
      store: new SqlUserStore(flaky),
      logger: createLogger('ingesta-suscriptor', 'SILENT'),
      metrics: new PrometheusPipelineMetrics(registry),
      migrate: () => migrate(flaky, migrations),
      onRecordFailure: (f) => reported.push(`${f.id}: ${f.reason}`),
    });
    const event = sqsEvent(
      sqsRecord('m1', snsEnvelopeBody(userEventBody('outage-1@x.io'))),
      sqsRecord('m2', snsEnvelopeBody(userEventBody('outage-2@x.io'))),
      sqsRecord('bad', 'not json'),
    );
    flaky.down = true;

    await expect(handler(event, createLambdaContext('ingesta-suscriptor'))).rejects.toThrow(
      /database is unavailable/,
    );

    const metrics = await registry.metrics();
    expect(metrics).toContain('ingesta_subscriber_batches_total{result="error"} 1');
    expect(metrics).toContain('ingesta_subscriber_batches_total{result="partial"} 0');
    // Each record keeps its own reason (the local DLQ shows it), the invalid one included.
    expect(reported).toEqual([
      expect.stringMatching(/^bad: The message body is not JSON/),
      'm1: Database write failed: The database is unavailable. (Connection terminated unexpectedly)',
      'm2: Database write failed: The database is unavailable. (Connection terminated unexpectedly)',
    ]);

    flaky.down = false;
    const retried = await handler(event, createLambdaContext('ingesta-suscriptor'));
    expect(retried).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
  });
});

// Needs a PostgreSQL server to kill connections on.
describeOn(postgresql, 'pool when $name kills its connections', (backend) => {
  let database: TestDatabase & { url: string };

  beforeAll(async () => {
    database = await backend.open({ migrated: false });
  });
  afterAll(() => database.dispose());

  it('survives idle connections being terminated and serves the next query on a fresh one', async () => {
    const applicationName = `ingesta-fault-${process.pid}-${Date.now()}`;
    const onError = vi.fn();
    const pool = await createPgPool(
      {
        kind: 'url',
        url: database.url,
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

      const admin = new pg.Client({ connectionString: database.url });
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
