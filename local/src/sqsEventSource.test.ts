import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { LocalQueue } from './localQueue.ts';
import { SqsEventSource } from './sqsEventSource.ts';

const setup = (invoke: (event: SQSEvent) => Promise<unknown>, batchSize = 10) => {
  const dlq = new LocalQueue({ name: 'dlq', visibilityTimeoutMs: 0 });
  const queue = new LocalQueue({
    name: 'q',
    visibilityTimeoutMs: 60_000,
    redrive: { deadLetterQueue: dlq, maxReceiveCount: 5 },
  });
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
    const { queue, source } = setup(async (event) => {
      seen = event;
      return { batchItemFailures: [] };
    });
    queue.send('a', { eventType: 'user.upserted' });
    queue.send('b');
    expect(await source.pollOnce()).toEqual({ received: 2, succeeded: 2, failed: 0 });
    expect(queue.stats().total).toBe(0);
    expect(seen?.Records[0]).toMatchObject({
      body: 'a',
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: { eventType: { dataType: 'String', stringValue: 'user.upserted' } },
    });
  });

  it('keeps only the records named in batchItemFailures', async () => {
    const { queue, source } = setup(async (event) => ({
      batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({
        itemIdentifier: r.messageId,
      })),
    }));
    queue.send('good');
    queue.send('bad');
    expect(await source.pollOnce()).toEqual({ received: 2, succeeded: 1, failed: 1 });
    expect(queue.list().map((m) => m.body)).toEqual(['bad']);
  });

  it('treats a null response as full success, as Lambda does', async () => {
    const { queue, source } = setup(async () => null);
    queue.send('a');
    await source.pollOnce();
    expect(queue.stats().total).toBe(0);
  });

  it('fails the whole batch when the function throws, recording the error', async () => {
    const { queue, source } = setup(async () => {
      throw new Error('boom');
    });
    queue.send('a');
    queue.send('b');
    expect(await source.pollOnce()).toMatchObject({ failed: 2, batchError: 'boom' });
    expect(queue.list().map((m) => m.lastError)).toEqual(['Batch failed: boom', 'Batch failed: boom']);
  });

  it.each([
    ['an unknown itemIdentifier', { batchItemFailures: [{ itemIdentifier: 'nope' }] }],
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['an HTTP-style response', { statusCode: 200, body: '{}' }],
  ])('fails the whole batch on %s', async (_label, response) => {
    const { queue, source } = setup(async () => response);
    queue.send('a');
    queue.send('b');
    expect(await source.pollOnce()).toMatchObject({ received: 2, succeeded: 0, failed: 2 });
    expect(queue.stats().total).toBe(2);
  });

  it('wakes from an idle wait as soon as a message arrives, like a long poll', async () => {
    const dlq = new LocalQueue({ name: 'dlq', visibilityTimeoutMs: 0 });
    const queue = new LocalQueue({
      name: 'q',
      visibilityTimeoutMs: 60_000,
      redrive: { deadLetterQueue: dlq, maxReceiveCount: 5 },
    });
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
      await new Promise((r) => setTimeout(r, 20)); // let it go idle
      queue.send('late');
      await vi.waitFor(() => expect(seen).toEqual(['late']), { timeout: 2_000 });
    } finally {
      await source.stop();
    }
  });

  it('holds a batching window open for messages that trickle in, as the mapping does', async () => {
    const queue = new LocalQueue({ name: 'q', visibilityTimeoutMs: 60_000 });
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
        queue.send(body);
        await new Promise((r) => setTimeout(r, 10));
      }
      await vi.waitFor(() => expect(batches).toEqual([['a', 'b', 'c']]), { timeout: 5_000 });
    } finally {
      await source.stop();
    }
  });

  it('refuses a batch size above 10 without a batching window, as AWS does', () => {
    expect(() => setup(async () => null, 11)).toThrow(/batching window/);
  });
});
