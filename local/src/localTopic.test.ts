import { describe, expect, it } from 'vitest';
import { LocalQueue } from './localQueue.ts';
import { LocalTopic } from './localTopic.ts';
import { MAX_MESSAGE_BYTES, MessageTooLargeError } from './messageSize.ts';

const setup = () => {
  const topic = new LocalTopic({ name: 'users' });
  const enveloped = new LocalQueue({ name: 'enveloped', visibilityTimeoutMs: 1_000 });
  const raw = new LocalQueue({ name: 'raw', visibilityTimeoutMs: 1_000 });
  topic.subscribe(enveloped);
  topic.subscribe(raw, { rawMessageDelivery: true });
  return { topic, enveloped, raw };
};

describe('LocalTopic', () => {
  it('fans out: the SNS envelope to one subscription, the raw message with attributes to the other', () => {
    const { topic, enveloped, raw } = setup();
    const messageId = topic.publish('{"hello":1}', { eventType: 'user.upserted' });
    const envelope = JSON.parse(enveloped.list()[0]?.body ?? '');
    expect(envelope).toMatchObject({
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: topic.arn,
      Message: '{"hello":1}',
      MessageAttributes: { eventType: { Type: 'String', Value: 'user.upserted' } },
    });
    expect(envelope.Signature).toBeUndefined();
    expect(raw.list()[0]).toMatchObject({
      body: '{"hello":1}',
      attributes: { eventType: { dataType: 'String', stringValue: 'user.upserted' } },
    });
  });

  it('refuses a message over 256 KiB, attributes included, before delivering anywhere', () => {
    const { topic, enveloped, raw } = setup();
    const body = 'x'.repeat(MAX_MESSAGE_BYTES - 10);
    expect(() => topic.publish(body, { attribute: 'more than ten bytes' })).toThrow(MessageTooLargeError);
    expect(enveloped.stats().total + raw.stats().total).toBe(0);
  });
});
