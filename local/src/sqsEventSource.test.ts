import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { primaryBackend, type TestDatabase } from '#tests/support/testDatabase.ts';
import { LocalQueue } from './localQueue.ts';
import { ensureQueueSchema } from './queueSchema.ts';
import { SqsEventSource } from './sqsEventSource.ts';

let database: TestDatabase;
let n = 0;

beforeAll(async () => {
  database = await primaryBackend.open({ migrated: false });
  await ensureQueueSchema(database.db);
});
afterAll(() => database.dispose());

/** A queue (and DLQ) of its own on the shared test database. */
const queues = async (visibilityTimeoutMs = 60_000) => {
  n += 1;
  const dlq = await LocalQueue.open(database.db, { name: `dlq-${n}`, visibilityTimeoutMs: 0 });
  const queue = await LocalQueue.open(database.db, {
    name: `q-${n}`,
    visibilityTimeoutMs,
    redrive: { deadLetterQueue: dlq, maxReceiveCount: 5 },
  });
  return { queue, dlq };
};

const setup = async (invoke: (event: SQSEvent) => Promise<unknown>, batchSize = 10) => {
  const { queue } = await queues();
  const source = new SqsEventSource({
    queue,
    functionName: 'fn',
    batchSize,
    invoke: (event) => invoke(event as SQSEvent),
  });
  return { queue, source };
};

describe('SqsEventSource', () => {
  it('sends a real-shaped SQS event and deletes every message on an empty failure list', async () => {
    let seen: SQSEvent | undefined;
    const { queue, source } = await setup(async (event) => {
      seen = event;
      return { batchItemFailures: [] };
    });
    await queue.send('a', { eventType: 'user.upserted' });
    await queue.send('b');
    expect(await source.pollOnce()).toEqual({ received: 2, succeeded: 2, failed: 0 });
    expect((await queue.stats()).total).toBe(0);
    expect(seen?.Records[0]).toMatchObject({
      body: 'a',
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: { eventType: { dataType: 'String', stringValue: 'user.upserted' } },
    });
  });

  it('keeps only the records named in batchItemFailures', async () => {
    const { queue, source } = await setup(async (event) => ({
      batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({
        itemIdentifier: r.messageId,
      })),
    }));
    await queue.send('good');
    await queue.send('bad');
    expect(await source.pollOnce()).toEqual({ received: 2, succeeded: 1, failed: 1 });
    expect((await queue.list()).map((m) => m.body)).toEqual(['bad']);
  });

  it('treats a null response as full success, as Lambda does', async () => {
    const { queue, source } = await setup(async () => null);
    await queue.send('a');
    await source.pollOnce();
    expect((await queue.stats()).total).toBe(0);
  });

  it('fails the whole batch when the function throws, recording the error', async () => {
    const { queue, source } = await setup(async () => {
      throw new Error('boom');
    });
    await queue.send('a');
    await queue.send('b');
    expect(await source.pollOnce()).toMatchObject({ failed: 2, batchError: 'boom' });
    expect((await queue.list()).map((m) => m.lastError)).toEqual([
      'Batch failed: boom',
      'Batch failed: boom',
    ]);
  });

  it.each([
    ['an unknown itemIdentifier', { batchItemFailures: [{ itemIdentifier: 'nope' }] }],
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['an HTTP-style response', { statusCode: 200, body: '{}' }],
  ])('fails the whole batch on %s', async (_label, response) => {
    const { queue, source } = await setup(async () => response);
    await queue.send('a');
    await queue.send('b');
    expect(await source.pollOnce()).toMatchObject({ received: 2, succeeded: 0, failed: 2 });
    expect((await queue.stats()).total).toBe(2);
  });

  it('wakes from an idle wait as soon as a message arrives, like a long poll', async () => {
    const { queue } = await queues();
    const seen: string[] = [];
    // A one-minute idle poll: only the arrival itself can explain a prompt invoke.
    const source = new SqsEventSource({
      queue,
      functionName: 'fn',
      batchSize: 10,
      idlePollMs: 60_000,
      invoke: async (event) => {
        seen.push(...(event as SQSEvent).Records.map((r) => r.body));
        return { batchItemFailures: [] };
      },
    });
    source.start();
    try {
      await new Promise((r) => setTimeout(r, 300)); // let it go idle
      await queue.send('late');
      await vi.waitFor(() => expect(seen).toEqual(['late']), { timeout: 2_000 });
    } finally {
      await source.stop();
    }
  });

  it('holds a batching window open for messages that trickle in, as the mapping does', async () => {
    const { queue } = await queues();
    const batches: string[][] = [];
    const source = new SqsEventSource({
      queue,
      functionName: 'fn',
      batchSize: 20,
      batchingWindowMs: 1_000,
      idlePollMs: 60_000,
      invoke: async (event) => {
        batches.push((event as SQSEvent).Records.map((r) => r.body));
        return { batchItemFailures: [] };
      },
    });
    source.start();
    try {
      await new Promise((r) => setTimeout(r, 20));
      for (const body of ['a', 'b', 'c']) {
        await queue.send(body);
        await new Promise((r) => setTimeout(r, 10));
      }
      await vi.waitFor(() => expect(batches).toEqual([['a', 'b', 'c']]), { timeout: 5_000 });
    } finally {
      await source.stop();
    }
  });

  it('records why each failed record failed, as the subscriber reported it', async () => {
    const { queue } = await queues(0);
    const source = new SqsEventSource({
      queue,
      functionName: 'fn',
      batchSize: 10,
      invoke: async (event) => {
        const bad = (event as SQSEvent).Records.filter((r) => r.body === 'bad');
        for (const r of bad) source.recordFailure(r.messageId, `rejected ${r.body}`);
        return { batchItemFailures: bad.map((r) => ({ itemIdentifier: r.messageId })) };
      },
    });
    await queue.send('good');
    await queue.send('bad');
    expect(await source.pollOnce()).toEqual({ received: 2, succeeded: 1, failed: 1 });
    source.recordFailure((await queue.list())[0]?.messageId ?? '', 'reported outside a batch'); // ignored
    expect((await queue.list()).map((m) => [m.body, m.lastError])).toEqual([['bad', 'rejected bad']]);
  });

  it('refuses a batch size above 10 without a batching window, as AWS does', async () => {
    await expect(setup(async () => null, 11)).rejects.toThrow(/batching window/);
  });
});
