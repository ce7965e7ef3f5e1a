import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../domain/errors.ts';
import { SnsUserEventPublisher } from './snsUserEventPublisher.ts';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ingesta-users';
const sns = mockClient(SNSClient);
const event = {
  eventId: 'e-1',
  occurredAt: '2026-01-01T00:00:00.000Z',
  user: { name: 'Ada', email: 'ada@x.io' },
};

describe('SnsUserEventPublisher', () => {
  beforeEach(() => sns.reset());

  it('the API can publish to the topic: exact PublishCommand input', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    const receipt = await new SnsUserEventPublisher(new SNSClient({ region: 'us-east-1' }), TOPIC).publish(
      event,
    );
    expect(receipt).toEqual({ messageId: 'sns-1' });
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([
      {
        TopicArn: TOPIC,
        Message: JSON.stringify(event),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: 'user.upserted' },
          schemaVersion: { DataType: 'String', StringValue: '1' },
        },
      },
    ]);
  });

  it('turns an SNS failure into a retryable unavailable dependency', async () => {
    sns.on(PublishCommand).rejects(new Error('Throttling'));
    const publish = new SnsUserEventPublisher(new SNSClient({ region: 'us-east-1' }), TOPIC).publish(event);
    await expect(publish).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(publish).rejects.toMatchObject({ dependency: 'sns' });
  });
});
