import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startLocalStack } from '#tests/support/localStack.ts';

const SIGNED =
  'AWS4-HMAC-SHA256 Credential=fuzz/20261128/eu-west-1/sqs/aws4_request, SignedHeaders=host, Signature=00';
const ANSWER_WITHIN_MS = 3_000;
const QUERY_ERROR =
  /^<\?xml version="1.0"\?><ErrorResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>[A-Za-z.]+<\/Code><Message>[^<]*<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/;

const OPERATIONS = [
  'GetQueueUrl',
  'ListQueues',
  'GetQueueAttributes',
  'SendMessage',
  'SendMessageBatch',
  'ReceiveMessage',
  'DeleteMessage',
  'DeleteMessageBatch',
  'ChangeMessageVisibility',
  'PurgeQueue',
  'StartMessageMoveTask',
  'ListMessageMoveTasks',
  'CancelMessageMoveTask',
  'CreateQueue',
];

/** Member names the operations read; WaitTimeSeconds is left out so no request waits on purpose. */
const MEMBERS = [
  'QueueUrl',
  'QueueName',
  'MessageBody',
  'MessageAttributes',
  'Entries',
  'ReceiptHandle',
  'VisibilityTimeout',
  'MaxNumberOfMessages',
  'AttributeNames',
  'MessageAttributeNames',
  'MessageSystemAttributeNames',
  'SourceArn',
  'DestinationArn',
  'MaxNumberOfMessagesPerSecond',
  'TaskHandle',
  'MaxResults',
  'NextToken',
  'QueueNamePrefix',
  'DelaySeconds',
  'Id',
  'DataType',
  'StringValue',
  'BinaryValue',
];

const value = (host: string) =>
  fc.letrec((tie) => ({
    any: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(
        `http://${host}/000000000000/ingesta-users`,
        `http://${host}/000000000000/ingesta-users-dlq`,
        'arn:aws:sqs:us-east-1:000000000000:ingesta-users-dlq',
        'arn:aws:sqs:us-east-1:000000000000:ingesta-users',
        'ingesta-users',
        'All',
        'String',
        'Number',
        'Binary',
        '',
      ),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.integer({ min: -5, max: 100_000 }),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('any'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom(...MEMBERS), tie('any'), { maxKeys: 5 }),
    ),
  })).any;

/** A request: a target (real, mutated, missing or foreign), a body (JSON of members, or bytes), a content type. */
const requestArb = (host: string) =>
  fc.record({
    target: fc.oneof(
      fc.constantFrom(...OPERATIONS).map((op) => `AmazonSQS.${op}`),
      fc.string({ maxLength: 30 }).map((s) => `AmazonSQS.${s}`),
      fc.constantFrom(undefined, '', 'DynamoDB_20120810.ListTables', 'AmazonSQS', 'amazonsqs.ListQueues'),
      fc.string({ unit: fc.constantFrom(...'AmazonSQS.xyz_-'.split('')), maxLength: 20 }),
    ),
    body: fc.oneof(
      fc.dictionary(fc.constantFrom(...MEMBERS), value(host), { maxKeys: 6 }).map((o) => JSON.stringify(o)),
      value(host).map((v) => JSON.stringify(v) ?? ''),
      fc.string({ maxLength: 200 }),
      // A Query form: an action and flattened members with text values.
      fc
        .tuple(
          fc.constantFrom(...OPERATIONS),
          fc.array(
            fc.tuple(
              fc.oneof(
                fc.constantFrom(...MEMBERS),
                fc.constantFrom(
                  'AttributeName.1',
                  'MessageAttribute.1.Name',
                  'MessageAttribute.1.Value.DataType',
                ),
                fc.constantFrom(
                  'SendMessageBatchRequestEntry.1.Id',
                  'DeleteMessageBatchRequestEntry.1.ReceiptHandle',
                ),
              ),
              fc.oneof(
                value(host).map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
                fc.string({ maxLength: 20 }),
              ),
            ),
            { maxLength: 6 },
          ),
        )
        .filter(([, members]) => !members.some(([name]) => name === 'WaitTimeSeconds'))
        .map(([action, members]) => new URLSearchParams([['Action', action], ...members]).toString()),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    ),
    contentType: fc.constantFrom(
      'application/x-amz-json-1.0',
      'application/json',
      'application/x-www-form-urlencoded',
      'text/plain',
      undefined,
    ),
  });

/** Valid requests, each with one member mutated: some stay valid, most break one rule. */
const mutatedValidArb = (host: string) => {
  const queueUrl = `http://${host}/000000000000/ingesta-users-dlq`;
  const valid: [string, Record<string, unknown>][] = [
    ['ListQueues', {}],
    ['GetQueueUrl', { QueueName: 'ingesta-users' }],
    ['GetQueueAttributes', { QueueUrl: queueUrl, AttributeNames: ['All'] }],
    ['ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }],
    ['SendMessage', { QueueUrl: queueUrl, MessageBody: 'fuzz' }],
    ['ListMessageMoveTasks', { SourceArn: 'arn:aws:sqs:us-east-1:000000000000:ingesta-users-dlq' }],
  ];
  return fc
    .record({
      target: fc.constantFrom(...valid),
      mutation: fc.option(fc.tuple(fc.constantFrom(...MEMBERS), value(host))),
    })
    .map(({ target: [op, body], mutation }) => ({
      target: `AmazonSQS.${op}`,
      body: JSON.stringify(mutation === null ? body : { ...body, [mutation[0]]: mutation[1] }),
      contentType: 'application/x-amz-json-1.0' as string | undefined,
    }));
};

describe('SQS wire fuzz (JSON 1.0 and Query): malformed requests never get a 5xx or a hang', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startLocalStack({ aws: true });
  });
  afterAll(() => stack?.stop());

  it('answers every request in time with a 200 or a well-formed error in the protocol it was asked in', async () => {
    const host = new URL(stack.awsUrl ?? '').host;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(requestArb(host), mutatedValidArb(host)),
        async ({ target, body, contentType }) => {
          const headers: Record<string, string> = { authorization: SIGNED };
          if (target !== undefined) headers['x-amz-target'] = target;
          if (contentType !== undefined) headers['content-type'] = contentType;
          const response = await fetch(`${stack.awsUrl}/`, {
            method: 'POST',
            headers,
            body,
            signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
          });
          const text = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (target === undefined && contentType !== 'application/x-amz-json-1.0') {
            // No target and no JSON type: the Query API's answer, XML.
            expect(response.headers.get('content-type')).toBe('text/xml');
            if (response.status !== 200) {
              expect(response.status).toBeGreaterThanOrEqual(400);
              expect(response.status).toBeLessThan(500);
              expect(text).toMatch(QUERY_ERROR);
            }
            return;
          }
          expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
          const answer = JSON.parse(text) as Record<string, unknown>;
          if (response.status === 200) {
            expect(answer.__type).toBeUndefined();
            return;
          }
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(answer).toEqual({
            __type: expect.stringMatching(/^com\.amazonaws\.sqs#[A-Za-z]+$/),
            message: expect.any(String),
          });
          expect(response.headers.get('x-amzn-query-error')).toMatch(/^[A-Za-z.]+;Sender$/);
        },
      ),
      { numRuns: 250 },
    );
    // The fuzz reached the operations, not only the protocol checks.
    expect(statuses.get(400)).toBeGreaterThan(0);
    expect(statuses.get(200)).toBeGreaterThan(0);
  });
});
