import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { primaryBackend, type TestDatabase } from '#tests/support/testDatabase.ts';
import { LocalQueue } from './localQueue.ts';
import { LocalTopic } from './localTopic.ts';
import { MAX_MESSAGE_BYTES, MessageTooLargeError } from './messageSize.ts';
import { ensureQueueSchema } from './queueSchema.ts';

describe('LocalTopic', () => {
  let database: TestDatabase;
  let n = 0;

  beforeAll(async () => {
    database = await primaryBackend.open({ migrated: false });
    await ensureQueueSchema(database.db);
  });
  afterAll(() => database.dispose());

  const setup = async () => {
    n += 1;
    const topic = new LocalTopic({ name: 'users' });
    const enveloped = await LocalQueue.open(database.db, {
      name: `enveloped-${n}`,
      visibilityTimeoutMs: 1_000,
    });
    const raw = await LocalQueue.open(database.db, { name: `raw-${n}`, visibilityTimeoutMs: 1_000 });
    topic.subscribe(enveloped);
    topic.subscribe(raw, { rawMessageDelivery: true });
    return { topic, enveloped, raw };
  };

  it('fans out: the SNS envelope to one subscription, the raw message with attributes to the other', async () => {
    const { topic, enveloped, raw } = await setup();
    const messageId = await topic.publish('{"hello":1}', { eventType: 'user.upserted' });
    const envelope = JSON.parse((await enveloped.list())[0]?.body ?? '');
    expect(envelope).toMatchObject({
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: topic.arn,
      Message: '{"hello":1}',
      MessageAttributes: { eventType: { Type: 'String', Value: 'user.upserted' } },
    });
    expect(envelope.Signature).toBeUndefined();
    expect((await raw.list())[0]).toMatchObject({
      body: '{"hello":1}',
      attributes: { eventType: { dataType: 'String', stringValue: 'user.upserted' } },
    });
  });

  it('has stored every delivery by the time publish resolves', async () => {
    const { topic, enveloped, raw } = await setup();
    await Promise.all([topic.publish('a'), topic.publish('b')]);
    expect((await enveloped.stats()).total).toBe(2);
    expect((await raw.list()).map((m) => m.body).sort()).toEqual(['a', 'b']);
  });

  it('refuses a message over 256 KiB, attributes included, before delivering anywhere', async () => {
    const { topic, enveloped, raw } = await setup();
    const body = 'x'.repeat(MAX_MESSAGE_BYTES - 10);
    await expect(topic.publish(body, { attribute: 'more than ten bytes' })).rejects.toThrow(
      MessageTooLargeError,
    );
    expect((await enveloped.stats()).total + (await raw.stats()).total).toBe(0);
  });
});
