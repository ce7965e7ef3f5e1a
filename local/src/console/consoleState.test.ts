import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import type { SqlExecutor } from '#shared/store/sqlExecutor.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { describeEachBackend, type TestDatabase } from '#tests/support/testDatabase.ts';
import { LocalQueue } from '../localQueue.ts';
import { ensureQueueSchema } from '../queueSchema.ts';
import { ConsoleState } from './consoleState.ts';
import { loadSloDefinitions } from './sloRules.ts';

describeEachBackend('ConsoleState on $name', (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await backend.open();
    await ensureQueueSchema(database.db);
  });
  afterAll(() => database.dispose());

  /** A console over fresh queues, a fresh registry and a clock the test moves. */
  const consoleOver = async (db: SqlExecutor = database.db) => {
    const id = Math.random().toString(36).slice(2, 8);
    const dlq = await LocalQueue.open(database.db, { name: `dlq-${id}`, visibilityTimeoutMs: 1_000 });
    const queue = await LocalQueue.open(database.db, { name: `q-${id}`, visibilityTimeoutMs: 1_000 });
    const registry = new Registry();
    const metrics = new PrometheusPipelineMetrics(registry);
    let now = 1_000_000;
    const state = new ConsoleState({
      queue,
      dlq,
      db,
      registry,
      startedAtMs: now - 1_000,
      loadSlos: () => loadSloDefinitions(),
      now: () => now,
      stallMs: 10_000,
    });
    return { state, queue, dlq, metrics, advance: (ms: number) => (now += ms) };
  };

  it('counts the flow from the registry the metrics route serves, and lists the newest users first', async () => {
    const { state, metrics } = await consoleOver();
    const store = new SqlUserStore(database.db);
    // One at a time: within a batch, rows are written in email order.
    for (const [i, email] of ['old@example.com', 'new@example.com'].entries())
      await store.upsertUsers([
        { eventId: `e-${i}`, occurredAt: `2026-01-01T00:00:0${i}.000000Z`, user: { name: email, email } },
      ]);
    metrics.apiRequest({ route: '/users', method: 'POST', status: 202, durationMs: 3 });
    metrics.apiRequest({ route: '/users', method: 'POST', status: 400, durationMs: 1 });
    metrics.subscriberBatch({
      written: 1,
      unchanged: 0,
      failed: 1,
      durationMs: 5,
      eventAgesMs: [40],
      result: 'partial',
    });

    const { flow, newestUsers, slos } = await state.snapshot();

    expect(flow).toMatchObject({
      api: { accepted: 1, clientErrors: 1, serverErrors: 0 },
      topic: { published: 1 },
      subscriber: { batches: 1, failed: 1 },
      database: { written: 1, up: true },
      queue: { visible: 0, stalled: false },
      dlq: { depth: 0 },
    });
    expect(newestUsers.map((u) => u.email).slice(0, 2)).toEqual(['new@example.com', 'old@example.com']);
    expect(slos.find((s) => s.id === 'api_availability')?.sliRun).toBe(1);
    expect(slos.find((s) => s.id === 'freshness')?.sliRun).toBe(1);
  });

  it('marks a queue whose visible messages see no batch as stalled, and lists dead letters with their error', async () => {
    const { state, queue, dlq, advance } = await consoleOver();
    await queue.send('waiting');
    const letter = await dlq.send('{"poison":');
    await dlq.recordError(letter, 'Bad row for ada@example.com');

    expect((await state.snapshot()).flow.queue.stalled).toBe(false);
    advance(10_000);
    const later = await state.snapshot();

    expect(later.flow.queue).toMatchObject({ visible: 1, stalled: true });
    expect(later.flow.dlq.depth).toBe(1);
    expect(later.deadLetters.items).toEqual([
      expect.objectContaining({ messageId: letter, receiveCount: 0, messageBytes: 10 }),
    ]);
    expect(later.deadLetters.items[0]?.lastError).toMatch(/^Bad row for <email:[0-9a-f]+>$/);
  });

  it('says the database is down when it does not answer, keeping the last figures it had', async () => {
    let failing = false;
    const flaky: SqlExecutor = {
      query: (text, params) =>
        failing ? Promise.reject(new Error('connection refused')) : database.db.query(text, params),
      close: () => Promise.resolve(),
    } as SqlExecutor;
    const { state, queue } = await consoleOver(flaky);
    await queue.send('one');
    expect((await state.snapshot()).flow.database.up).toBe(true);

    failing = true;
    const down = await state.snapshot();

    expect(down.flow.database.up).toBe(false);
    expect(down.flow.queue.visible).toBe(1);
  });
});
