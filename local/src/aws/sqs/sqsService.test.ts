import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUMMY_CREDENTIALS, failureOf } from '#tests/support/awsSdk.ts';
import { type RunningStack, startLocalStack } from '#tests/support/localStack.ts';

const credentials = DUMMY_CREDENTIALS;

describe('SQS over the AWS endpoint, with the real SDK', () => {
  let stack: RunningStack;
  let sqs: SQSClient;
  let queueUrl: string;
  let dlqUrl: string;

  beforeAll(async () => {
    stack = await startLocalStack({ aws: true });
    // Receives here must not race the event source: it is stopped (the pipeline suite runs it).
    await stack.pipeline.eventSource.stop();
    sqs = new SQSClient({ endpoint: stack.awsUrl, region: 'eu-west-1', credentials });
    queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'ingesta-users' }))).QueueUrl ?? '';
    dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'ingesta-users-dlq' }))).QueueUrl ?? '';
  });
  afterAll(async () => {
    sqs?.destroy();
    await stack?.stop();
  });

  /** Clears what a test left (received messages stay in flight); PurgeQueue itself is tested once. */
  const drain = async () => {
    await stack.pipeline.queue.purge();
  };

  describe('queues', () => {
    it('gives queue URLs on the host the client addressed, and QueueDoesNotExist for others', async () => {
      expect(queueUrl).toBe(`${stack.awsUrl}/000000000000/ingesta-users`);
      expect(await failureOf(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })))).toEqual({
        name: 'QueueDoesNotExist',
        status: 400,
      });
    });

    it('lists the queues, by prefix and in pages', async () => {
      expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls).toEqual([queueUrl, dlqUrl]);
      expect(
        (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'ingesta-users-d' }))).QueueUrls,
      ).toEqual([dlqUrl]);
      const first = await sqs.send(new ListQueuesCommand({ MaxResults: 1 }));
      expect(first.QueueUrls).toEqual([queueUrl]);
      const second = await sqs.send(new ListQueuesCommand({ MaxResults: 1, NextToken: first.NextToken }));
      expect(second).toMatchObject({ QueueUrls: [dlqUrl] });
      expect(second.NextToken).toBeUndefined();
    });

    it('reports queue attributes, the redrive policy and its allow policy', async () => {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
      );
      expect(Attributes).toMatchObject({
        QueueArn: stack.pipeline.queue.arn,
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
        VisibilityTimeout: '30',
        MaximumMessageSize: '262144',
      });
      expect(JSON.parse(Attributes?.RedrivePolicy ?? '')).toEqual({
        deadLetterTargetArn: stack.pipeline.dlq.arn,
        maxReceiveCount: 5,
      });
      const dlq = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: dlqUrl,
          AttributeNames: ['RedriveAllowPolicy', 'QueueArn'],
        }),
      );
      expect(JSON.parse(dlq.Attributes?.RedriveAllowPolicy ?? '')).toEqual({
        redrivePermission: 'byQueue',
        sourceQueueArns: [stack.pipeline.queue.arn],
      });
      expect(Object.keys(dlq.Attributes ?? {}).sort()).toEqual(['QueueArn', 'RedriveAllowPolicy']);
      expect(
        await failureOf(
          sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['Colour' as 'All'] }),
          ),
        ),
      ).toEqual({ name: 'InvalidAttributeName', status: 400 });
    });

    it('resolves a queue URL by its path whatever the host, and refuses unknown ones', async () => {
      const elsewhere = 'https://sqs.eu-west-1.amazonaws.com/000000000000/ingesta-users-dlq';
      // By default the SDK sends to the queue URL's host; here the request must reach the local endpoint.
      const pinned = new SQSClient({
        endpoint: stack.awsUrl,
        region: 'eu-west-1',
        credentials,
        useQueueUrlAsEndpoint: false,
      });
      const { Attributes } = await pinned.send(
        new GetQueueAttributesCommand({ QueueUrl: elsewhere, AttributeNames: ['QueueArn'] }),
      );
      pinned.destroy();
      expect(Attributes?.QueueArn).toBe(stack.pipeline.dlq.arn);
      for (const QueueUrl of [
        `${stack.awsUrl}/000000000000/missing`,
        `${stack.awsUrl}/123456789012/ingesta-users`,
      ]) {
        expect(await failureOf(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })))).toEqual({
          name: 'QueueDoesNotExist',
          status: 400,
        });
      }
    });

    it('purges a queue once a minute', async () => {
      await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: 'to purge' }));
      await sqs.send(new PurgeQueueCommand({ QueueUrl: dlqUrl }));
      expect((await stack.pipeline.dlq.stats()).total).toBe(0);
      expect(await failureOf(sqs.send(new PurgeQueueCommand({ QueueUrl: dlqUrl })))).toEqual({
        name: 'PurgeQueueInProgress',
        status: 403,
      });
    });
  });

  describe('messages', () => {
    it('round-trips a message with typed attributes; the SDK checks every MD5', async () => {
      const MessageAttributes = {
        eventType: { DataType: 'String', StringValue: 'user.upserted' },
        retries: { DataType: 'Number', StringValue: '3' },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
        'custom.kind': { DataType: 'String.json', StringValue: '{"a":1}' },
      };
      const sent = await sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'héllo ✓', MessageAttributes }),
      );
      expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('héllo ✓').digest('hex'));
      expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);

      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      expect(Messages).toHaveLength(1);
      const [message] = Messages;
      expect(message).toMatchObject({
        MessageId: sent.MessageId,
        Body: 'héllo ✓',
        MD5OfBody: sent.MD5OfMessageBody,
        MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
        Attributes: { ApproximateReceiveCount: '1', SenderId: expect.any(String) },
      });
      expect(message?.MessageAttributes?.retries).toEqual({ DataType: 'Number', StringValue: '3' });
      expect(message?.MessageAttributes?.blob?.BinaryValue).toEqual(new Uint8Array([0, 1, 2, 255]));
      expect(Number(message?.Attributes?.SentTimestamp)).toBeLessThanOrEqual(Date.now());
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message?.ReceiptHandle }));
      expect((await stack.pipeline.queue.stats()).total).toBe(0);
    });

    it('returns only the attributes asked for, with the MD5 of those', async () => {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: 'picky',
          MessageAttributes: {
            'order.id': { DataType: 'String', StringValue: '1' },
            other: { DataType: 'String', StringValue: '2' },
          },
        }),
      );
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageAttributeNames: ['order.*'] }),
      );
      expect(Object.keys(Messages[0]?.MessageAttributes ?? {})).toEqual(['order.id']);
      expect(Messages[0]?.Attributes).toBeUndefined();
      await drain();
    });

    it('long polling wakes as soon as a message arrives', async () => {
      const started = Date.now();
      const receiving = sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 10 }));
      await new Promise((r) => setTimeout(r, 300));
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'wake up' }));
      const { Messages = [] } = await receiving;
      expect(Messages.map((m) => m.Body)).toEqual(['wake up']);
      expect(Date.now() - started).toBeLessThan(5_000);
      await drain();
    });

    it('a long poll the client abandons ends, and takes no message that arrives later', async () => {
      const abandoned = new AbortController();
      const polling = fetch(`${stack.awsUrl}/`, {
        method: 'POST',
        headers: {
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20261128/eu-west-1/sqs/aws4_request, SignedHeaders=host, Signature=00',
          'x-amz-target': 'AmazonSQS.ReceiveMessage',
          'content-type': 'application/x-amz-json-1.0',
        },
        body: JSON.stringify({ QueueUrl: queueUrl, WaitTimeSeconds: 20 }),
        signal: abandoned.signal,
      }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      abandoned.abort();
      await polling;
      await new Promise((r) => setTimeout(r, 100));
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'for the next receive' }));
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
      expect(Messages.map((m) => m.Body)).toEqual(['for the next receive']);
      await drain();
    });

    it('long polling on an empty queue answers empty once the wait is over', async () => {
      const started = Date.now();
      const answer = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
      expect(answer.Messages).toBeUndefined();
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });

    it('honours VisibilityTimeout and ChangeMessageVisibility, counting receives', async () => {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'seen twice' }));
      const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 60 }));
      expect(first.Messages).toHaveLength(1);
      expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages).toBeUndefined();
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: first.Messages?.[0]?.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      const second = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          VisibilityTimeout: 0,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      expect(second.Messages?.[0]?.Attributes).toEqual({ ApproximateReceiveCount: '2' });
      // The first handle is stale now: it changes nothing.
      expect(
        await failureOf(
          sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: queueUrl,
              ReceiptHandle: first.Messages?.[0]?.ReceiptHandle,
              VisibilityTimeout: 10,
            }),
          ),
        ),
      ).toEqual({ name: 'InvalidParameterValue', status: 400 });
      expect(
        await failureOf(
          sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: queueUrl,
              ReceiptHandle: 'garbage',
              VisibilityTimeout: 1,
            }),
          ),
        ),
      ).toEqual({ name: 'ReceiptHandleIsInvalid', status: 404 });
      await drain();
    });

    it('deletes in batches, reporting entries with invalid handles', async () => {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'batch delete' }));
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
      const answer = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: [
            { Id: 'good', ReceiptHandle: Messages[0]?.ReceiptHandle },
            { Id: 'bad', ReceiptHandle: 'not-a-handle' },
          ],
        }),
      );
      expect(answer.Successful).toEqual([{ Id: 'good' }]);
      expect(answer.Failed).toEqual([
        expect.objectContaining({ Id: 'bad', Code: 'ReceiptHandleIsInvalid', SenderFault: true }),
      ]);
      expect((await stack.pipeline.queue.stats()).total).toBe(0);
      expect(
        await failureOf(sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: 'nope' }))),
      ).toEqual({ name: 'ReceiptHandleIsInvalid', status: 404 });
    });

    it('sends in batches, each entry checked on its own', async () => {
      const answer = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: [
            {
              Id: 'a',
              MessageBody: 'one',
              MessageAttributes: { n: { DataType: 'Number', StringValue: '1' } },
            },
            {
              Id: 'b',
              MessageBody: 'two',
              MessageAttributes: { n: { DataType: 'Number', StringValue: 'one' } },
            },
          ],
        }),
      );
      expect(answer.Successful?.map((s) => s.Id)).toEqual(['a']);
      expect(answer.Failed).toEqual([
        expect.objectContaining({ Id: 'b', Code: 'InvalidParameterValue', SenderFault: true }),
      ]);
      await drain();
    });

    it('refuses malformed batches with the errors the model names', async () => {
      const batch = (Entries: { Id: string; MessageBody: string }[]) =>
        failureOf(sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries })));
      expect(await batch([])).toEqual({ name: 'EmptyBatchRequest', status: 400 });
      expect(await batch(Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' })))).toEqual({
        name: 'TooManyEntriesInBatchRequest',
        status: 400,
      });
      expect(
        await batch([
          { Id: 'same', MessageBody: 'x' },
          { Id: 'same', MessageBody: 'y' },
        ]),
      ).toEqual({
        name: 'BatchEntryIdsNotDistinct',
        status: 400,
      });
      expect(await batch([{ Id: 'not valid!', MessageBody: 'x' }])).toEqual({
        name: 'InvalidBatchEntryId',
        status: 400,
      });
      expect(
        await batch([
          { Id: 'a', MessageBody: 'x'.repeat(200_000) },
          { Id: 'b', MessageBody: 'y'.repeat(200_000) },
        ]),
      ).toEqual({ name: 'BatchRequestTooLong', status: 400 });
      expect((await stack.pipeline.queue.stats()).total).toBe(0);
    });

    it('refuses oversized messages, invalid characters and out-of-range parameters', async () => {
      const send = (MessageBody: string) =>
        failureOf(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody })));
      expect(await send('x'.repeat(256 * 1024 + 1))).toEqual({ name: 'InvalidParameterValue', status: 400 });
      expect(await send('bell \u0007')).toEqual({ name: 'InvalidMessageContents', status: 400 });
      expect(await send('')).toEqual({ name: 'MissingParameter', status: 400 });
      expect(
        await failureOf(sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 21 }))),
      ).toEqual({ name: 'InvalidParameterValue', status: 400 });
      expect(
        await failureOf(sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 11 }))),
      ).toEqual({ name: 'InvalidParameterValue', status: 400 });
      expect(
        await failureOf(
          sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, AttributeNames: ['Colour' as 'All'] })),
        ),
      ).toEqual({ name: 'InvalidAttributeName', status: 400 });
      expect((await stack.pipeline.queue.stats()).total).toBe(0);
    });
  });
});
