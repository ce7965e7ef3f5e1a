import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalQueue } from './localQueue.ts';
import { restoreQueues, saveQueues } from './queueSnapshot.ts';

const dirs: string[] = [];
const tempPath = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ingesta-snap-'));
  dirs.push(dir);
  return join(dir, 'nested', 'queues.json');
};

const pair = () => {
  const dlq = new LocalQueue({ name: 'dlq', visibilityTimeoutMs: 1_000 });
  const queue = new LocalQueue({
    name: 'q',
    visibilityTimeoutMs: 60_000,
    redrive: { deadLetterQueue: dlq, maxReceiveCount: 2 },
  });
  return { queue, dlq };
};

describe('queue snapshot', () => {
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps queued, in-flight and dead messages across a restart, in-flight ones visible again', () => {
    const path = tempPath();
    const before = pair();
    before.queue.send('dead');
    for (let i = 0; i < 2; i += 1) {
      before.queue.receive(1);
      before.queue.changeVisibility(before.queue.list()[0]?.receiptHandle ?? '', 0);
    }
    expect(before.queue.receive(1)).toEqual([]); // a third receive would exceed maxReceiveCount 2 → DLQ
    before.queue.send('in flight', { eventType: 'user.upserted' });
    before.queue.receive(1);
    before.queue.send('waiting');
    expect(saveQueues(path, [before.queue, before.dlq])).toBe(3);

    const after = pair();
    expect(restoreQueues(path, [after.queue, after.dlq])).toBe(3);
    expect(after.dlq.list().map((m) => m.body)).toEqual(['dead']);
    const received = after.queue.receive(10);
    expect(received.map((r) => r.message.body)).toEqual(['in flight', 'waiting']);
    expect(received[0]?.message.attributes).toEqual({
      eventType: { dataType: 'String', stringValue: 'user.upserted' },
    });
    expect(received[0]?.message.receiveCount).toBe(2);
  });

  it('restores nothing when there is no snapshot', () => {
    const { queue, dlq } = pair();
    expect(restoreQueues(tempPath(), [queue, dlq])).toBe(0);
  });

  it('refuses a snapshot it cannot read, rather than dropping it', () => {
    const path = tempPath();
    saveQueues(path, []);
    writeFileSync(path, JSON.stringify({ version: 99, queues: {} }));
    const { queue, dlq } = pair();
    expect(() => restoreQueues(path, [queue, dlq])).toThrow(/not a queue snapshot/);
  });
});
