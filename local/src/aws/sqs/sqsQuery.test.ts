import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startLocalStack } from '#tests/support/localStack.ts';
import { describeWith, requirement } from '#tests/support/requirement.ts';

const SIGNED =
  'AWS4-HMAC-SHA256 Credential=local/20261128/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00';
const AWS_CLI = '/usr/bin/aws';
const cli = requirement(
  existsSync(AWS_CLI) ? undefined : `aws CLI: install it at ${AWS_CLI} (apt-get install awscli)`,
);

describe('SQS Query API (what CLIs before the JSON protocol speak)', () => {
  let stack: RunningStack;
  let queueUrl: string;

  beforeAll(async () => {
    stack = await startLocalStack({ aws: true });
    await stack.pipeline.eventSource.stop();
    queueUrl = `${stack.awsUrl}/000000000000/ingesta-users`;
  });
  afterAll(() => stack?.stop());

  const form = async (params: Record<string, string>) => {
    const response = await fetch(`${stack.awsUrl}/`, {
      method: 'POST',
      headers: { authorization: SIGNED, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams({ Version: '2012-11-05', ...params }),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      xml: await response.text(),
    };
  };

  it('sends and receives with flattened attributes, answering XML', async () => {
    const sent = await form({
      Action: 'SendMessage',
      QueueUrl: queueUrl,
      MessageBody: 'a <b> & c',
      'MessageAttribute.1.Name': 'kind',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'x&y',
    });
    expect(sent.status).toBe(200);
    expect(sent.xml).toMatch(
      /^<\?xml version="1.0"\?><SendMessageResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><SendMessageResult><MessageId>[0-9a-f-]{36}<\/MessageId><MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody><MD5OfMessageAttributes>[0-9a-f]{32}<\/MD5OfMessageAttributes><\/SendMessageResult><ResponseMetadata><RequestId>/,
    );
    const received = await form({
      Action: 'ReceiveMessage',
      QueueUrl: queueUrl,
      'AttributeName.1': 'ApproximateReceiveCount',
      'MessageAttributeName.1': 'All',
    });
    expect(received.xml).toContain('<Body>a &lt;b&gt; &amp; c</Body>');
    expect(received.xml).toContain(
      '<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>',
    );
    expect(received.xml).toContain(
      '<MessageAttribute><Name>kind</Name><Value><StringValue>x&amp;y</StringValue><DataType>String</DataType></Value></MessageAttribute>',
    );
    await stack.pipeline.queue.purge();
  });

  it('answers errors as Query XML with the codes of the model', async () => {
    const missing = await form({ Action: 'GetQueueUrl', QueueName: 'nope' });
    expect(missing).toMatchObject({ status: 400, type: 'text/xml' });
    expect(missing.xml).toContain('<Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>');
    expect((await form({ Action: 'Frobnicate' })).xml).toContain('<Code>InvalidAction</Code>');
    expect((await form({})).xml).toContain('<Code>MissingAction</Code>');
    const batch = await form({
      Action: 'DeleteMessageBatch',
      QueueUrl: queueUrl,
      'DeleteMessageBatchRequestEntry.1.Id': 'x',
      'DeleteMessageBatchRequestEntry.1.ReceiptHandle': 'bad',
    });
    expect(batch.xml).toContain(
      '<BatchResultErrorEntry><Id>x</Id><SenderFault>true</SenderFault><Code>ReceiptHandleIsInvalid</Code>',
    );
  });
});

describeWith(cli, 'the real aws CLI against the local endpoint', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startLocalStack({ aws: true });
  });
  afterAll(() => stack?.stop());

  const aws = async (...args: string[]) => {
    try {
      const { stdout } = await promisify(execFile)(
        AWS_CLI,
        ['--endpoint-url', stack.awsUrl ?? '', '--output', 'json', ...args],
        {
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            AWS_ACCESS_KEY_ID: 'local',
            AWS_SECRET_ACCESS_KEY: 'local',
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          },
        },
      );
      return { code: 0, out: stdout, err: '' };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout, err: e.stderr };
    }
  };

  it('publishes with `aws sns publish`: the user lands in the database', async () => {
    const event = {
      eventId: 'cli-1',
      occurredAt: '2026-11-28T00:00:00Z',
      user: { name: 'Cli', email: 'cli@example.com' },
    };
    const published = await aws(
      'sns',
      'publish',
      '--topic-arn',
      stack.pipeline.topic.arn,
      '--message',
      JSON.stringify(event),
      '--message-attributes',
      '{"eventType":{"DataType":"String","StringValue":"user.upserted"}}',
    );
    expect(published.code).toBe(0);
    expect(JSON.parse(published.out).MessageId).toMatch(/^[0-9a-f-]{36}$/);
    await eventually(async () => {
      const page = (await (await fetch(`${stack.url}/users`)).json()) as { items: { email: string }[] };
      return page.items.some((u) => u.email === 'cli@example.com') ? true : undefined;
    });
  });

  it('reads the DLQ with `aws sqs receive-message` (the CLI checks the MD5s) and names missing queues', async () => {
    const dlqUrl = `${stack.awsUrl}/000000000000/ingesta-users-dlq`;
    await stack.pipeline.dlq.send('dead letter', { eventType: 'user.upserted' });
    const received = await aws(
      'sqs',
      'receive-message',
      '--queue-url',
      dlqUrl,
      '--attribute-names',
      'All',
      '--message-attribute-names',
      'All',
    );
    expect(received.code).toBe(0);
    expect(JSON.parse(received.out).Messages[0]).toMatchObject({
      Body: 'dead letter',
      MessageAttributes: { eventType: { DataType: 'String', StringValue: 'user.upserted' } },
    });
    const missing = await aws('sqs', 'get-queue-url', '--queue-name', 'nope');
    expect(missing.code).toBe(254);
    expect(missing.err).toContain('AWS.SimpleQueueService.NonExistentQueue');
  });
});
