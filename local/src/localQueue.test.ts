import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, type TestDatabase } from '#tests/support/testDatabase.ts';
import { LocalQueue, QueueFullError } from './localQueue.ts';
import { MAX_MESSAGE_BYTES, MessageTooLargeError } from './messageSize.ts';
import { ensureQueueSchema } from './queueSchema.ts';

const clock = () => {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describeEachBackend('LocalQueue on $name', (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await backend.open({ migrated: false });
    await ensureQueueSchema(database.db);
  });
  afterAll(() => database.dispose());

  /** A queue and its DLQ with names of their own, on the shared test database. */
  const queues = async (maxReceiveCount = 3, maxMessages?: number) => {
    const c = clock();
    const id = randomUUID().slice(0, 8);
    const dlq = await LocalQueue.open(database.db, {
      name: `dlq-${id}`,
      visibilityTimeoutMs: 1_000,
      now: c.now,
    });
    const queue = await LocalQueue.open(database.db, {
      name: `q-${id}`,
      visibilityTimeoutMs: 1_000,
      redrive: { deadLetterQueue: dlq, maxReceiveCount },
      now: c.now,
      ...(maxMessages !== undefined && { maxMessages }),
    });
    return { queue, dlq, clock: c };
  };

  it('hides a received message for the visibility timeout, then shows it again', async () => {
    const { queue, clock } = await queues();
    await queue.send('a');
    expect(await queue.receive(10)).toHaveLength(1);
    expect(await queue.receive(10)).toHaveLength(0);
    clock.advance(999);
    expect(await queue.receive(10)).toHaveLength(0);
    clock.advance(1);
    expect(await queue.receive(10)).toHaveLength(1);
  });

  it('counts receives like ApproximateReceiveCount, keeping the first receive time', async () => {
    const { queue, clock } = await queues();
    await queue.send('a');
    const [first] = await queue.receive(1);
    expect(first?.message).toMatchObject({
      receiveCount: 1,
      firstReceiveTimestamp: 1_000,
      sentTimestamp: 1_000,
    });
    clock.advance(1_000);
    const [second] = await queue.receive(1);
    expect(second?.message).toMatchObject({ receiveCount: 2, firstReceiveTimestamp: 1_000 });
  });

  it('returns at most the requested batch, oldest first', async () => {
    const { queue } = await queues();
    for (let i = 0; i < 15; i += 1) await queue.send(String(i));
    const first = await queue.receive(10);
    expect(first.map((r) => r.message.body)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(await queue.receive(10)).toHaveLength(5);
  });

  it('keeps the body, the MD5 of its UTF-8 bytes and string attributes, as SQS reports them', async () => {
    const { queue } = await queues();
    const id = await queue.send('héllo', { eventType: 'user.upserted' });
    const [received] = await queue.receive(1);
    expect(received?.message).toMatchObject({
      messageId: id,
      body: 'héllo',
      md5OfBody: createHash('md5').update(Buffer.from('héllo', 'utf8')).digest('hex'),
      attributes: { eventType: { dataType: 'String', stringValue: 'user.upserted' } },
    });
  });

  it('deletes only with the latest receipt handle', async () => {
    const { queue, clock } = await queues();
    await queue.send('a');
    const first = (await queue.receive(1))[0]?.receiptHandle ?? '';
    clock.advance(1_000);
    const second = (await queue.receive(1))[0]?.receiptHandle ?? '';
    expect(first).not.toBe(second);
    expect(await queue.delete(first)).toBe(false);
    expect(await queue.delete('not-a-handle')).toBe(false);
    expect(await queue.delete(second)).toBe(true);
    expect((await queue.stats()).total).toBe(0);
  });

  it('deletes a batch in one call, counting only the current handles', async () => {
    const { queue } = await queues();
    for (const body of ['a', 'b', 'c']) await queue.send(body);
    const handles = (await queue.receive(3)).map((r) => r.receiptHandle);
    expect(await queue.deleteBatch([...handles.slice(0, 2), `${handles[2]?.slice(0, 37)}stale`])).toBe(2);
    expect((await queue.list()).map((m) => m.body)).toEqual(['c']);
  });

  it('moves a message to the DLQ once receives exceed maxReceiveCount, keeping its last error', async () => {
    const { queue, dlq, clock } = await queues(3);
    const id = await queue.send('poison');
    for (let i = 0; i < 3; i += 1) {
      expect(await queue.receive(1)).toHaveLength(1);
      await queue.recordError(id, `failure ${i + 1}`);
      clock.advance(1_000);
    }
    expect(await queue.receive(1)).toHaveLength(0);
    expect((await queue.stats()).total).toBe(0);
    const [dead] = await dlq.list();
    expect(dead).toMatchObject({
      messageId: id,
      body: 'poison',
      receiveCount: 3,
      lastError: 'failure 3',
      sourceQueueArn: queue.arn,
      deadLetteredAt: 4_000,
      receiptHandle: null,
    });
  });

  it('keeps a due message in its queue while the DLQ is full, rather than lose it', async () => {
    const c = clock();
    const id = randomUUID().slice(0, 8);
    const dlq = await LocalQueue.open(database.db, {
      name: `dlq-${id}`,
      visibilityTimeoutMs: 0,
      maxMessages: 1,
    });
    const queue = await LocalQueue.open(database.db, {
      name: `q-${id}`,
      visibilityTimeoutMs: 1_000,
      redrive: { deadLetterQueue: dlq, maxReceiveCount: 1 },
      now: c.now,
    });
    await dlq.send('already dead');
    await queue.send('poison');
    await queue.receive(1);
    c.advance(1_000);
    expect(await queue.receive(1)).toHaveLength(0);
    expect((await queue.stats()).total).toBe(1);
    expect((await dlq.stats()).total).toBe(1);
  });

  it('redrives dead letters back with a fresh receive count', async () => {
    const { queue, dlq, clock } = await queues(1);
    await queue.send('x');
    await queue.receive(1);
    clock.advance(1_000);
    await queue.receive(1);
    expect((await dlq.stats()).total).toBe(1);
    expect(await dlq.redriveTo(queue)).toBe(1);
    expect((await dlq.stats()).total).toBe(0);
    const [back] = await queue.receive(1);
    expect(back?.message).toMatchObject({
      body: 'x',
      receiveCount: 1,
      deadLetteredAt: null,
      sourceQueueArn: null,
    });
  });

  it('redrives only as many as the source queue has room for', async () => {
    const c = clock();
    const id = randomUUID().slice(0, 8);
    const dlq = await LocalQueue.open(database.db, { name: `dlq-${id}`, visibilityTimeoutMs: 0 });
    const queue = await LocalQueue.open(database.db, {
      name: `q-${id}`,
      visibilityTimeoutMs: 1_000,
      maxMessages: 2,
      now: c.now,
    });
    for (const body of ['1', '2', '3']) await dlq.send(body);
    await queue.send('waiting');
    expect(await dlq.redriveTo(queue)).toBe(1);
    expect((await dlq.list()).map((m) => m.body)).toEqual(['2', '3']);
    expect((await queue.list()).map((m) => m.body)).toEqual(['waiting', '1']);
  });

  it('makes a message visible at once when its visibility is changed to 0', async () => {
    const { queue } = await queues();
    await queue.send('a');
    const handle = (await queue.receive(1))[0]?.receiptHandle ?? '';
    expect(await queue.changeVisibility(handle, 0)).toBe(true);
    expect(await queue.receive(1)).toHaveLength(1);
    expect(await queue.changeVisibility(handle, 0)).toBe(false); // stale handle
  });

  it('refuses messages over 256 KiB and sends beyond its bound, even when sent at once', async () => {
    const { queue } = await queues(3, 2);
    await expect(queue.send('x'.repeat(MAX_MESSAGE_BYTES + 1))).rejects.toThrow(MessageTooLargeError);
    const sends = await Promise.allSettled(['1', '2', '3', '4'].map((body) => queue.send(body)));
    expect(sends.filter((s) => s.status === 'fulfilled')).toHaveLength(2);
    const refused = sends.filter((s) => s.status === 'rejected').map((s) => s.reason);
    expect(refused).toHaveLength(2);
    expect(refused.every((reason) => reason instanceof QueueFullError)).toBe(true);
    expect((await queue.stats()).total).toBe(2);
  });

  it('stores a burst of sends in send order, each durable when its send resolves', async () => {
    const { queue } = await queues();
    const bodies = Array.from({ length: 50 }, (_, i) => `m${i}`);
    const ids = await Promise.all(bodies.map((body) => queue.send(body)));
    const stored = await queue.list();
    expect(stored.map((m) => m.body)).toEqual(bodies);
    expect(stored.map((m) => m.messageId)).toEqual(ids);
  });

  it('fails only the send the database refuses when sends share an INSERT', async () => {
    const { queue } = await queues();
    const sends = await Promise.allSettled(
      ['before', 'nul \u0000 byte', 'after'].map((body) => queue.send(body)),
    );
    expect(sends.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await queue.list()).map((m) => m.body)).toEqual(['before', 'after']);
    expect((await queue.stats()).total).toBe(2);
  });

  it('makes room again once messages are deleted', async () => {
    const { queue } = await queues(3, 1);
    await queue.send('1');
    await expect(queue.send('2')).rejects.toThrow(QueueFullError);
    const [r] = await queue.receive(1);
    await queue.delete(r?.receiptHandle ?? '');
    await queue.send('2');
    expect((await queue.list()).map((m) => m.body)).toEqual(['2']);
  });

  it('keeps messages, receive counts and dead letters for the next process that opens the queue', async () => {
    const before = await queues(1);
    await before.queue.send('dead');
    await before.queue.receive(1);
    before.clock.advance(1_000);
    await before.queue.receive(1); // the second receive would exceed maxReceiveCount 1 → DLQ
    await before.queue.send('in flight', { eventType: 'user.upserted' });
    await before.queue.receive(1);
    await before.queue.send('waiting');

    // A new process: new objects over the same rows, with the bound counted from what is stored.
    const dlq = await LocalQueue.open(database.db, {
      name: before.dlq.name,
      visibilityTimeoutMs: 0,
      maxMessages: 1,
    });
    const queue = await LocalQueue.open(database.db, {
      name: before.queue.name,
      visibilityTimeoutMs: 1_000,
      maxMessages: 2,
      redrive: { deadLetterQueue: dlq, maxReceiveCount: 3 },
      now: before.clock.now,
    });
    expect((await dlq.list()).map((m) => m.body)).toEqual(['dead']);
    await expect(queue.send('one too many')).rejects.toThrow(QueueFullError);
    expect((await queue.receive(10)).map((r) => r.message.body)).toEqual(['waiting']);
    expect(await queue.releaseInFlight()).toBe(2);
    const received = await queue.receive(10);
    expect(received.map((r) => r.message.body)).toEqual(['in flight', 'waiting']);
    expect(received[0]?.message).toMatchObject({
      receiveCount: 2,
      attributes: { eventType: { dataType: 'String', stringValue: 'user.upserted' } },
    });
  });

  it('lets two consumers claim disjoint messages', async () => {
    const { queue } = await queues();
    for (let i = 0; i < 20; i += 1) await queue.send(String(i));
    const [a, b] = await Promise.all([queue.receive(10), queue.receive(10)]);
    const ids = [...(a ?? []), ...(b ?? [])].map((r) => r.message.messageId);
    expect(new Set(ids).size).toBe(20);
  });

  it('tells a poller how many messages arrived', async () => {
    const { queue, dlq } = await queues(1);
    const arrivals: number[] = [];
    queue.onMessage((n) => arrivals.push(n));
    await queue.send('a');
    await dlq.send('b');
    await dlq.send('c');
    await dlq.redriveTo(queue);
    expect(arrivals).toEqual([1, 2]);
  });

  it('redrives or deletes one dead letter by id, leaving the others where they are', async () => {
    const { queue, dlq } = await queues(1);
    const [a, b, c] = [await dlq.send('a'), await dlq.send('b'), await dlq.send('c')];
    const arrivals: number[] = [];
    queue.onMessage((n) => arrivals.push(n));

    expect(await dlq.redriveOneTo(queue, b)).toBe(true);
    expect(await dlq.deleteById(c)).toBe(true);

    expect((await dlq.list()).map((m) => m.messageId)).toEqual([a]);
    expect((await queue.list()).map((m) => [m.body, m.receiveCount])).toEqual([['b', 0]]);
    expect(arrivals).toEqual([1]);
    expect(await dlq.redriveOneTo(queue, b)).toBe(false);
    expect(await dlq.deleteById(c)).toBe(false);
    expect(await dlq.deleteById('not-a-uuid')).toBe(false);
    expect((await dlq.stats()).total).toBe(1);
  });

  it('redrives one dead letter only when the source queue has room', async () => {
    const id = randomUUID().slice(0, 8);
    const dlq = await LocalQueue.open(database.db, { name: `dlq-${id}`, visibilityTimeoutMs: 0 });
    const queue = await LocalQueue.open(database.db, {
      name: `q-${id}`,
      visibilityTimeoutMs: 0,
      maxMessages: 1,
    });
    const letter = await dlq.send('x');
    await queue.send('full');

    expect(await dlq.redriveOneTo(queue, letter)).toBe(false);
    expect((await dlq.list()).map((m) => m.body)).toEqual(['x']);
  });

  it('lists only the first messages when asked for a page', async () => {
    const { dlq } = await queues();
    for (const body of ['1', '2', '3']) await dlq.send(body);
    expect((await dlq.head(2)).map((m) => m.body)).toEqual(['1', '2']);
  });

  // What the AWS wire endpoint adds.

  it('keeps typed attributes (Number, Binary, custom types) beside plain String ones', async () => {
    const { queue } = await queues();
    await queue.sendMessage('typed', {
      kind: { dataType: 'String', stringValue: 'k' },
      count: { dataType: 'Number.int', stringValue: '7' },
      blob: { dataType: 'Binary', binaryValue: 'AAEC' },
    });
    const [received] = await queue.receive(1);
    expect(received?.message.attributes).toEqual({
      kind: { dataType: 'String', stringValue: 'k' },
      count: { dataType: 'Number.int', stringValue: '7' },
      blob: { dataType: 'Binary', binaryValue: 'AAEC' },
    });
    await expect(
      queue.sendMessage('x'.repeat(MAX_MESSAGE_BYTES), { a: { dataType: 'String', stringValue: 'b' } }),
    ).rejects.toThrow(MessageTooLargeError);
  });

  it('hides a message for the visibility timeout a receive asks for', async () => {
    const { queue, clock } = await queues();
    await queue.send('a');
    expect(await queue.receive(1, 5_000)).toHaveLength(1);
    clock.advance(1_000);
    expect(await queue.receive(1)).toHaveLength(0);
    clock.advance(4_000);
    expect(await queue.receive(1, 0)).toHaveLength(1);
    expect(await queue.receive(1)).toHaveLength(1);
  });

  it('purges every message, in flight or not, and frees the room', async () => {
    const { queue } = await queues(3, 2);
    await queue.send('a');
    await queue.send('b');
    await queue.receive(1);
    expect(await queue.purge()).toBe(2);
    expect((await queue.stats()).total).toBe(0);
    await queue.send('room again');
  });

  it('moves at most the number asked for to any queue, counted afresh', async () => {
    const { queue, dlq } = await queues();
    for (const body of ['1', '2', '3']) await dlq.send(body);
    await dlq.receive(3);
    expect(await dlq.moveTo(queue, 2)).toBe(2);
    expect((await dlq.stats()).total).toBe(1);
    const moved = await queue.receive(10);
    expect(moved.map((r) => [r.message.body, r.message.receiveCount])).toEqual([
      ['1', 1],
      ['2', 1],
    ]);
  });
});
