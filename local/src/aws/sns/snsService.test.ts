import {
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUMMY_CREDENTIALS, failureOf } from '#tests/support/awsSdk.ts';
import { eventually, type RunningStack, startLocalStack } from '#tests/support/localStack.ts';

const credentials = DUMMY_CREDENTIALS;
const SIGNED =
  'AWS4-HMAC-SHA256 Credential=local/20261128/eu-west-1/sns/aws4_request, SignedHeaders=host, Signature=00';

describe('SNS over the AWS endpoint, with the real SDK', () => {
  let stack: RunningStack;
  let sns: SNSClient;
  let topicArn: string;

  beforeAll(async () => {
    stack = await startLocalStack({ aws: true });
    sns = new SNSClient({ endpoint: stack.awsUrl, region: 'eu-west-1', credentials });
    topicArn = stack.pipeline.topic.arn;
  });
  afterAll(async () => {
    sns?.destroy();
    await stack?.stop();
  });

  const form = (body: string) =>
    fetch(`${stack.awsUrl}/`, {
      method: 'POST',
      headers: { authorization: SIGNED, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });

  it('publishes a user event that flows through the queue to the database', async () => {
    const email = 'sns-cli@example.com';
    const event = {
      eventId: 'sns-sdk-1',
      occurredAt: new Date().toISOString(),
      user: { name: 'Via SNS', email },
    };
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify(event),
        Subject: 'user upserted',
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: 'user.upserted' },
          schemaVersion: { DataType: 'String', StringValue: '1' },
        },
      }),
    );
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const user = await eventually(async () => {
      const page = (await (await fetch(`${stack.url}/users`)).json()) as {
        items: { email: string; name: string }[];
      };
      return page.items.find((u) => u.email === email);
    });
    expect(user).toMatchObject({ name: 'Via SNS', email });
  });

  it("delivers the JSON structure's default entry, in an envelope that keeps the attribute types", async () => {
    await stack.pipeline.eventSource.stop();
    try {
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          MessageStructure: 'json',
          Message: JSON.stringify({ default: 'for queues', email: 'ignored' }),
          MessageAttributes: {
            count: { DataType: 'Number', StringValue: '3' },
            blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
          },
        }),
      );
      const [received] = await stack.pipeline.queue.receive(1);
      const envelope = JSON.parse(received?.message.body ?? '{}');
      expect(envelope).toMatchObject({
        Type: 'Notification',
        TopicArn: topicArn,
        Message: 'for queues',
        MessageAttributes: {
          count: { Type: 'Number', Value: '3' },
          blob: { Type: 'Binary', Value: Buffer.from([1, 2, 3]).toString('base64') },
        },
      });
      await stack.pipeline.queue.delete(received?.receiptHandle ?? '');
    } finally {
      stack.pipeline.eventSource.start();
    }
  });

  it('lists the topic, its attributes and its queue subscription', async () => {
    expect((await sns.send(new ListTopicsCommand({}))).Topics).toEqual([{ TopicArn: topicArn }]);
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
    expect(Attributes).toMatchObject({
      TopicArn: topicArn,
      Owner: '000000000000',
      SubscriptionsConfirmed: '1',
    });
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(Subscriptions).toEqual([
      {
        TopicArn: topicArn,
        Protocol: 'sqs',
        Owner: '000000000000',
        Endpoint: stack.pipeline.queue.arn,
        SubscriptionArn: expect.stringMatching(new RegExp(`^${topicArn}:[0-9a-f-]{36}$`)),
      },
    ]);
  });

  it('answers NotFound for another topic, InvalidParameter for bad ARNs, structures, subjects and sizes', async () => {
    const other = 'arn:aws:sns:us-east-1:000000000000:other';
    expect(await failureOf(sns.send(new GetTopicAttributesCommand({ TopicArn: other })))).toEqual({
      name: 'NotFoundException',
      status: 404,
    });
    expect(await failureOf(sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: other })))).toEqual({
      name: 'NotFoundException',
      status: 404,
    });
    expect(await failureOf(sns.send(new PublishCommand({ TopicArn: other, Message: 'x' })))).toEqual({
      name: 'NotFoundException',
      status: 404,
    });
    const invalid = { name: 'InvalidParameterException', status: 400 };
    const publish = (input: Omit<ConstructorParameters<typeof PublishCommand>[0], 'TopicArn'>) =>
      failureOf(sns.send(new PublishCommand({ TopicArn: topicArn, ...input })));
    expect(await failureOf(sns.send(new PublishCommand({ TopicArn: 'not-an-arn', Message: 'x' })))).toEqual(
      invalid,
    );
    expect(await publish({ Message: 'not json', MessageStructure: 'json' })).toEqual(invalid);
    expect(await publish({ Message: '{"sqs":"no default"}', MessageStructure: 'json' })).toEqual(invalid);
    expect(await publish({ Message: 'x', MessageStructure: 'xml' })).toEqual(invalid);
    expect(await publish({ Message: 'x', Subject: 'line\nbreak' })).toEqual(invalid);
    expect(await publish({ Message: 'x'.repeat(256 * 1024 + 1) })).toEqual(invalid);
    expect(await publish({ Message: '' })).toEqual(invalid);
    expect(
      await failureOf(sns.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'sms' }))),
    ).toEqual(invalid);
    expect(
      await publish({
        Message: 'x',
        MessageAttributes: { n: { DataType: 'Number', StringValue: 'NaN-ish' } },
      }),
    ).toEqual({ name: 'InvalidParameterValueException', status: 400 });
  });

  it('answers unknown and missing actions with Query XML errors, echoing values escaped', async () => {
    const unknown = await form('Action=%3Cscript%3E%26Go&Version=2010-03-31');
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toBe('text/xml');
    const body = await unknown.text();
    expect(body).toContain('<Code>InvalidAction</Code>');
    expect(body).toContain('&lt;script&gt;&amp;Go');
    expect(body).toMatch(
      /^<\?xml version="1.0"\?><ErrorResponse xmlns="http:\/\/sns.amazonaws.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type>/,
    );
    const missing = await form('Version=2010-03-31');
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('<Code>MissingAction</Code>');
    const nullMessage = await form(`Action=Publish&TopicArn=${encodeURIComponent(topicArn)}`);
    expect(await nullMessage.text()).toContain('<Code>ValidationError</Code>');
  });
});
