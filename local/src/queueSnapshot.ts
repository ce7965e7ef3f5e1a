import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { LocalQueue, QueueMessage } from './localQueue.ts';

const MessageSchema = z.object({
  messageId: z.string(),
  body: z.string(),
  md5OfBody: z.string(),
  attributes: z.record(z.string(), z.object({ dataType: z.literal('String'), stringValue: z.string() })),
  sentTimestamp: z.number(),
  receiveCount: z.number().int().min(0),
  firstReceiveTimestamp: z.number().nullable(),
  visibleAt: z.number(),
  receiptHandle: z.string().nullable(),
  lastError: z.string().nullable(),
  deadLetteredAt: z.number().nullable(),
  sourceQueueArn: z.string().nullable(),
});

const SnapshotSchema = z.object({
  version: z.literal(1),
  queues: z.record(z.string(), z.array(MessageSchema)),
});

/**
 * Saves undelivered and dead messages on a clean shutdown so a restart loses nothing. In-flight
 * messages come back visible, as they would after their visibility timeout.
 */
const saveQueues = (path: string, queues: readonly LocalQueue[]): number => {
  const snapshot = { version: 1, queues: Object.fromEntries(queues.map((q) => [q.name, q.list()])) };
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot));
  renameSync(tmp, path);
  return queues.reduce((n, q) => n + q.stats().total, 0);
};

const restoreQueues = (path: string, queues: readonly LocalQueue[]): number => {
  if (!existsSync(path)) return 0;
  const parsed = SnapshotSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new Error(`${path} is not a queue snapshot this version can read; move it aside.`);
  let restored = 0;
  for (const queue of queues) {
    for (const message of parsed.data.queues[queue.name] ?? []) {
      queue.adopt({ ...(message as QueueMessage), visibleAt: 0, receiptHandle: null });
      restored += 1;
    }
  }
  return restored;
};

export { restoreQueues, saveQueues };
