import {
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userEventAttributes } from '#shared/domain/userEvent.ts';
import { DUMMY_CREDENTIALS, failureOf } from '#tests/support/awsSdk.ts';
import { eventually, type RunningStack, startLocalStack } from '#tests/support/localStack.ts';

const credentials = DUMMY_CREDENTIALS;
const MAX_RECEIVES = 2;

const userEvent = (email: string) =>
  JSON.stringify({
    eventId: `sqs-${email}`,
    occurredAt: new Date().toISOString(),
    user: { name: 'Via SQS', email },
  });

const asSqsAttributes = () =>
  Object.fromEntries(
    Object.entries(userEventAttributes()).map(([name, value]) => [
      name,
      { DataType: 'String', StringValue: value },
    ]),
  );

describe('SQS on the running pipeline: the subscriber, the DLQ and its redrive', () => {
  let stack: RunningStack;
  let sqs: SQSClient;
  let queueUrl: string;
  let dlqUrl: string;

  beforeAll(async () => {
    stack = await startLocalStack({ aws: true, visibilityTimeoutMs: 50, maxReceiveCount: MAX_RECEIVES });
    sqs = new SQSClient({ endpoint: stack.awsUrl, region: 'eu-west-1', credentials });
    queueUrl = `${stack.awsUrl}/000000000000/ingesta-users`;
    dlqUrl = `${stack.awsUrl}/000000000000/ingesta-users-dlq`;
  });
  afterAll(async () => {
    sqs?.destroy();
    await stack?.stop();
  });

  const emails = async () =>
    (
      (await (await fetch(`${stack.url}/users?limit=100`)).json()) as { items: { email: string }[] }
    ).items.map((u) => u.email);

  it('a message sent with the SDK reaches the subscriber, which stores the user', async () => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: userEvent('direct@example.com'),
        MessageAttributes: asSqsAttributes(),
      }),
    );
    await eventually(async () => ((await emails()).includes('direct@example.com') ? true : undefined));
  });

  it('a receive competes with the event source: a message held by the SDK is not delivered until released', async () => {
    await stack.pipeline.eventSource.stop();
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: userEvent('held@example.com'),
        MessageAttributes: asSqsAttributes(),
      }),
    );
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 60 }),
    );
    expect(Messages).toHaveLength(1);
    stack.pipeline.eventSource.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(await emails()).not.toContain('held@example.com');
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: Messages[0]?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    await eventually(async () => ((await emails()).includes('held@example.com') ? true : undefined));
  });

  it('reads a dead letter with the queue it came from', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"poison":' }));
    await eventually(async () => ((await stack.pipeline.dlq.stats()).total === 1 ? true : undefined));
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MessageSystemAttributeNames: ['All'],
        WaitTimeSeconds: 1,
      }),
    );
    expect(Messages[0]).toMatchObject({
      Body: '{"poison":',
      // Its receives on the source queue still count, as in SQS.
      Attributes: {
        ApproximateReceiveCount: String(MAX_RECEIVES + 1),
        DeadLetterQueueSourceArn: stack.pipeline.queue.arn,
      },
    });
    await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: Messages[0]?.ReceiptHandle }));
    expect((await stack.pipeline.dlq.stats()).total).toBe(0);
  });

  it('redrives the DLQ to its source with StartMessageMoveTask, and lists the task', async () => {
    const dlqArn = stack.pipeline.dlq.arn;
    expect((await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results).toEqual([]);
    const redriven = ['redrive-1@example.com', 'redrive-2@example.com', 'redrive-3@example.com'];
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: dlqUrl,
        Entries: redriven.map((email, i) => ({
          Id: `e${i}`,
          MessageBody: userEvent(email),
          MessageAttributes: asSqsAttributes(),
        })),
      }),
    );
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    expect(TaskHandle).toBeTruthy();
    const task = await eventually(async () => {
      const [latest] = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results ?? [];
      return latest?.Status === 'COMPLETED' ? latest : undefined;
    });
    expect(task).toMatchObject({
      SourceArn: dlqArn,
      DestinationArn: stack.pipeline.queue.arn,
      ApproximateNumberOfMessagesMoved: 3,
      ApproximateNumberOfMessagesToMove: 3,
    });
    expect(task.TaskHandle).toBeUndefined();
    expect(task.StartedTimestamp).toBeLessThanOrEqual(Date.now());
    await eventually(async () => {
      const stored = await emails();
      return redriven.every((e) => stored.includes(e)) ? true : undefined;
    });
  });

  it('moves at the rate asked for, and a running task can be cancelled', async () => {
    const dlqArn = stack.pipeline.dlq.arn;
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: dlqUrl,
        Entries: ['slow-1', 'slow-2', 'slow-3', 'slow-4'].map((id) => ({
          Id: id,
          MessageBody: userEvent(`${id}@example.com`),
          MessageAttributes: asSqsAttributes(),
        })),
      }),
    );
    const { TaskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 1 }),
    );
    const [running] = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results ?? [];
    expect(running).toMatchObject({
      Status: 'RUNNING',
      TaskHandle,
      MaxNumberOfMessagesPerSecond: 1,
      ApproximateNumberOfMessagesToMove: 4,
    });
    expect(await failureOf(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn })))).toEqual({
      name: 'UnsupportedOperation',
      status: 400,
    });
    await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    const cancelled = await eventually(async () => {
      const [latest] =
        (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 10 }))).Results ??
        [];
      return latest?.Status === 'CANCELLED' ? latest : undefined;
    });
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBeLessThan(4);
    expect((await stack.pipeline.dlq.stats()).total).toBe(
      4 - (cancelled.ApproximateNumberOfMessagesMoved ?? 0),
    );
    await stack.pipeline.dlq.purge();
  });

  it('refuses move tasks the model forbids', async () => {
    expect(
      await failureOf(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: stack.pipeline.queue.arn }))),
    ).toEqual({ name: 'UnsupportedOperation', status: 400 });
    const missing = 'arn:aws:sqs:us-east-1:000000000000:missing';
    expect(await failureOf(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: missing })))).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
    });
    expect(await failureOf(sqs.send(new ListMessageMoveTasksCommand({ SourceArn: missing })))).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
    });
    expect(await failureOf(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'bm9wZQ==' })))).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
    });
  });
});

describe('closing the endpoint', () => {
  it('ends a waiting long poll at once instead of holding the shutdown for 20 s', async () => {
    const stack = await startLocalStack({ aws: true });
    await stack.pipeline.eventSource.stop();
    const sqs = new SQSClient({ endpoint: stack.awsUrl, region: 'eu-west-1', credentials });
    try {
      const receiving = sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: `${stack.awsUrl}/000000000000/ingesta-users`,
          WaitTimeSeconds: 20,
        }),
      );
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      await stack.stop();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect((await receiving).Messages).toBeUndefined();
    } finally {
      sqs.destroy();
    }
  });
});
