import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startLocalStack } from '#tests/support/localStack.ts';
import { send } from '#tests/support/rawHttp.ts';

const ANSWER_WITHIN_MS = 3_000;

const scope = (service: string, region = 'eu-west-1') =>
  `AWS4-HMAC-SHA256 Credential=fuzz/20261128/${region}/${service}/aws4_request, SignedHeaders=host, Signature=00`;

/** Valid scopes for the three services and for others, near misses, garbage, or none. */
const authorizationArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('lambda', 'sqs', 'sns').map((s) => scope(s)) },
  fc.constantFrom('s3', 'dynamodb', 'sts', 'execute-api', 'lambda2', 'sq', 'x').map((s) => scope(s)),
  fc.stringMatching(/^[a-z0-9-]{1,20}$/).map((s) => scope(s, 'us-east-2')),
  fc.constantFrom(
    'AWS4-HMAC-SHA256 Credential=fuzz/2026112/eu-west-1/sqs/aws4_request',
    'AWS4-HMAC-SHA256 Credential=/20261128/eu-west-1/sqs/aws4_request',
    'AWS4-HMAC-SHA256 Credential=fuzz/20261128/EU-WEST-1/sns/aws4_request',
    'AWS4-HMAC-SHA256 Credential=fuzz/20261128//lambda/aws4_request',
    'Bearer x',
    'AWS AKID:signature',
    '',
  ),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }),
  fc.constant(undefined),
);

const targetArb = fc.oneof(
  fc.constantFrom('AmazonSQS.ListQueues', 'AmazonSQS.GetQueueUrl', 'AmazonSQS.SendMessage', 'AmazonSQS.Nope'),
  fc.constantFrom('DynamoDB_20120810.ListTables', 'AWSLambda.Invoke', 'AmazonSQS', ''),
  fc.string({ unit: fc.constantFrom(...'AmazonSQS.xyz_-'.split('')), maxLength: 20 }),
  fc.constant(undefined),
);

const contentTypeArb = fc.constantFrom(
  'application/x-amz-json-1.0',
  'application/x-amz-json-1.1',
  'application/json',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'text/xml',
  'text/plain',
  'application/octet-stream',
  undefined,
);

const pathArb = fc.oneof(
  fc.constantFrom(
    '/',
    '/000000000000/ingesta-users',
    '/000000000000/ingesta-users-dlq',
    '/2015-03-31/functions/ingesta-api/invocations',
    '/2015-03-31/functions/ingesta-api',
    '/2015-03-31/functions/ingesta-suscriptor/configuration',
    '/2015-03-31/functions/ingesta-api/aliases/live',
    '/2015-03-31/',
    '/2015-03-31/functions/%ZZ/invocations',
    '/2015-03-31/functions/../../etc/passwd',
    '/?Action=ListTopics',
    '/?Action=ListQueues',
    '/?Action=GetTopicAttributes&TopicArn=arn:aws:sns:us-east-1:000000000000:ingesta-users',
  ),
  fc.webPath(),
);

/** Bodies in each protocol (all without long-poll waits) and none of them. */
const bodyArb = fc.oneof(
  fc.constantFrom(
    '',
    '{}',
    '{"QueueName":"ingesta-users"}',
    '{"QueueUrl":"ingesta-users-dlq","MessageBody":"fuzz"}',
    '{"rawPath":"/health"}',
    '{"Name":"live","FunctionVersion":"$LATEST"}',
    'Action=ListTopics',
    'Action=ListQueues',
    'Action=Publish&TopicArn=arn:aws:sns:us-east-1:000000000000:ingesta-users&Message=fuzz',
    'Action=GetQueueUrl&QueueName=ingesta-users',
    'Action=CreateTopic&Name=x',
    '<xml/>',
    '{"a":',
  ),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''),
  fc.webQueryParameters(),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
);

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];

/**
 * The protocol an answer must be in, from what the client sent alone (as an SDK would know it):
 * the service its signing scope names; unsigned, the shape of the request; anything else is the endpoint's.
 */
const expectedProtocol = (
  headers: Record<string, string>,
  path: string,
): 'rest-json' | 'json' | 'xml' | 'unknown' => {
  const named = /Credential=[^/,\s]+\/\d{8}\/[a-z0-9-]+\/([a-z0-9-]+)\/aws4_request/.exec(
    headers.authorization ?? '',
  )?.[1];
  const contentType = headers['content-type'] ?? '';
  const service =
    named ??
    (headers['x-amz-target']?.startsWith('AmazonSQS.')
      ? 'sqs'
      : path.startsWith('/2015-03-31/')
        ? 'lambda'
        : contentType.startsWith('application/x-www-form-urlencoded')
          ? 'sns'
          : undefined);
  if (service === 'lambda') return 'rest-json';
  if (service === 'sns') return 'xml';
  if (service === 'sqs') {
    return headers['x-amz-target'] !== undefined || contentType.startsWith('application/x-amz-json')
      ? 'json'
      : 'xml';
  }
  return 'unknown';
};

describe('AWS endpoint fuzz: every request gets an answer in time, below 500, in the protocol its scope names', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startLocalStack({ aws: true });
  });
  afterAll(() => stack?.stop());

  it('answers in REST-JSON for lambda, JSON 1.0 or Query XML for sqs, XML for sns, and UnknownServiceException else', async () => {
    const base = stack.awsUrl ?? '';
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          method: fc.oneof({ weight: 3, arbitrary: fc.constant('POST') }, fc.constantFrom(...METHODS)),
          path: pathArb,
          authorization: authorizationArb,
          target: targetArb,
          contentType: contentTypeArb,
          body: bodyArb,
        }),
        async ({ method, path, authorization, target, contentType, body }) => {
          const headers: Record<string, string> = {};
          if (authorization !== undefined) headers.authorization = authorization;
          if (target !== undefined) headers['x-amz-target'] = target;
          if (contentType !== undefined) headers['content-type'] = contentType;
          // Invocations here must not wait on handlers; the Lambda fuzz runs them.
          headers['x-amz-invocation-type'] = 'DryRun';
          const answer = await send(base, {
            method,
            path,
            headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
            body,
            timeoutMs: ANSWER_WITHIN_MS,
          });
          const protocol = expectedProtocol(headers, path);
          seen.set(`${protocol} ${answer.status}`, (seen.get(`${protocol} ${answer.status}`) ?? 0) + 1);
          expect(answer.status).toBeLessThan(500);
          const text = method === 'HEAD' ? undefined : answer.body;
          switch (protocol) {
            case 'rest-json':
              if (answer.status >= 300) {
                expect(answer.headers['content-type']).toBe('application/json');
                expect(answer.headers['x-amzn-errortype']).toMatch(/^[A-Za-z]+Exception$/);
                if (text !== undefined) expect(JSON.parse(text)).toMatchObject({ Type: 'User' });
              }
              return;
            case 'json':
              expect(answer.headers['content-type']).toBe('application/x-amz-json-1.0');
              if (text !== undefined) {
                const document = JSON.parse(text) as Record<string, unknown>;
                if (answer.status >= 300) expect(document.__type).toMatch(/^com\.amazonaws\.sqs#[A-Za-z]+$/);
              }
              return;
            case 'xml':
              expect(answer.headers['content-type']).toBe('text/xml');
              if (text !== undefined) {
                expect(text).toMatch(/^<\?xml version="1\.0"\?><([A-Za-z]+) xmlns="[^"]+">[\s\S]*<\/\1>$/);
                if (answer.status >= 300)
                  expect(text).toMatch(
                    /<ErrorResponse [^>]*><Error><Type>Sender<\/Type><Code>[A-Za-z.]+<\/Code>/,
                  );
              }
              return;
            case 'unknown':
              expect(answer.status).toBe(400);
              expect(answer.headers['content-type']).toBe('application/json');
              expect(answer.headers['x-amzn-errortype']).toBe('UnknownServiceException');
              if (text !== undefined) {
                expect(JSON.parse(text)).toEqual({
                  __type: 'UnknownServiceException',
                  message: expect.any(String),
                });
              }
              return;
          }
        },
      ),
      { numRuns: 200 },
    );
    // Every protocol was reached, and some requests got past the checks into the services.
    const reached = [...seen.keys()];
    for (const protocol of ['rest-json', 'json', 'xml', 'unknown']) {
      expect(reached.some((k) => k.startsWith(`${protocol} `))).toBe(true);
    }
    expect(reached.some((k) => / 2\d\d$/.test(k))).toBe(true);
  });
});
