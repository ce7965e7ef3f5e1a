import { describe, expect, it } from 'vitest';
import { LocalQueue, QueueFullError } from './localQueue.ts';
import { MAX_MESSAGE_BYTES, MessageTooLargeError } from './messageSize.ts';

const clock = () => {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

const queues = (maxReceiveCount = 3) => {
  const c = clock();
  const dlq = new LocalQueue({ name: 'dlq', visibilityTimeoutMs: 1_000, now: c.now });
  const queue = new LocalQueue({
    name: 'q',
    visibilityTimeoutMs: 1_000,
    redrive: { deadLetterQueue: dlq, maxReceiveCount },
    now: c.now,
  });
  return { queue, dlq, clock: c };
};

describe('LocalQueue', () => {
  it('hides a received message for the visibility timeout, then shows it again', () => {
    const { queue, clock } = queues();
    queue.send('a');
    expect(queue.receive(10)).toHaveLength(1);
    expect(queue.receive(10)).toHaveLength(0);
    clock.advance(999);
    expect(queue.receive(10)).toHaveLength(0);
    clock.advance(1);
    expect(queue.receive(10)).toHaveLength(1);
  });

  it('counts receives like ApproximateReceiveCount', () => {
    const { queue, clock } = queues();
    queue.send('a');
    expect(queue.receive(1)[0]?.message.receiveCount).toBe(1);
    clock.advance(1_000);
    expect(queue.receive(1)[0]?.message.receiveCount).toBe(2);
  });

  it('returns at most the requested batch', () => {
    const { queue } = queues();
    for (let i = 0; i < 15; i += 1) queue.send(String(i));
    expect(queue.receive(10)).toHaveLength(10);
    expect(queue.receive(10)).toHaveLength(5);
  });

  it('deletes only with the latest receipt handle', () => {
    const { queue, clock } = queues();
    queue.send('a');
    const first = queue.receive(1)[0]?.receiptHandle ?? '';
    clock.advance(1_000);
    const second = queue.receive(1)[0]?.receiptHandle ?? '';
    expect(queue.delete(first)).toBe(false);
    expect(queue.delete(second)).toBe(true);
    expect(queue.stats().total).toBe(0);
  });

  it('moves a message to the DLQ once receives exceed maxReceiveCount, keeping its last error', () => {
    const { queue, dlq, clock } = queues(3);
    const id = queue.send('poison');
    for (let i = 0; i < 3; i += 1) {
      expect(queue.receive(1)).toHaveLength(1);
      queue.recordError(id, `failure ${i + 1}`);
      clock.advance(1_000);
    }
    expect(queue.receive(1)).toHaveLength(0);
    expect(queue.stats().total).toBe(0);
    const [dead] = dlq.list();
    expect(dead).toMatchObject({
      messageId: id,
      receiveCount: 3,
      lastError: 'failure 3',
      sourceQueueArn: queue.arn,
    });
  });

  it('redrives dead letters back with a fresh receive count', () => {
    const { queue, dlq, clock } = queues(1);
    queue.send('x');
    queue.receive(1);
    clock.advance(1_000);
    queue.receive(1);
    expect(dlq.redriveTo(queue)).toBe(1);
    expect(queue.receive(1)[0]?.message.receiveCount).toBe(1);
  });

  it('makes a message visible at once when its visibility is changed to 0', () => {
    const { queue } = queues();
    queue.send('a');
    const handle = queue.receive(1)[0]?.receiptHandle ?? '';
    expect(queue.changeVisibility(handle, 0)).toBe(true);
    expect(queue.receive(1)).toHaveLength(1);
  });

  it('refuses messages over 256 KiB and sends beyond its bound', () => {
    const small = new LocalQueue({ name: 's', visibilityTimeoutMs: 1, maxMessages: 2 });
    expect(() => small.send('x'.repeat(MAX_MESSAGE_BYTES + 1))).toThrow(MessageTooLargeError);
    small.send('1');
    small.send('2');
    expect(() => small.send('3')).toThrow(QueueFullError);
  });
});
