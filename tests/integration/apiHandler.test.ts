import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { type ApiHandler, createApiHandler } from '#api/createApiHandler.ts';
import { createLambdaContext } from '#local/lambdaContext.ts';
import { DEFAULT_IDEMPOTENCY_POLICY } from '#shared/domain/idempotency.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import { SnsUserEventPublisher } from '#shared/publisher/snsUserEventPublisher.ts';
import { SqlIdempotencyStore } from '#shared/store/sqlIdempotencyStore.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { functionUrlRequest } from '../support/functionUrlRequest.ts';
import { InMemoryUserStore } from '../support/inMemoryUserStore.ts';
import { describeEachBackend, type TestDatabase } from '../support/testDatabase.ts';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ingesta-users';
const sns = mockClient(SNSClient);

describeEachBackend('API handler on $name', (backend) => {
  let database: TestDatabase;
  let handler: ApiHandler;
  const registry = new Registry();

  beforeAll(async () => {
    database = await backend.open();
    handler = createApiHandler({
      store: new SqlUserStore(database.db),
      publisher: new SnsUserEventPublisher(new SNSClient({ region: 'us-east-1' }), TOPIC),
      idempotency: { store: new SqlIdempotencyStore(database.db), policy: DEFAULT_IDEMPOTENCY_POLICY },
      logger: createLogger('ingesta-api', 'SILENT'),
      metrics: new PrometheusPipelineMetrics(registry),
      version: 'test',
    });
  });
  afterAll(() => database.dispose());
  beforeEach(() => sns.reset());

  const call = (event: unknown) => handler(event, createLambdaContext('ingesta-api'));

  it('the API can connect to the database and read from it', async () => {
    await database.db.exec(`TRUNCATE users RESTART IDENTITY;
      INSERT INTO users (name, email, last_event_id, last_event_at)
      VALUES ('Ada', 'ada@x.io', 'e1', now()), ('Grace', 'grace@x.io', 'e2', now())`);
    const health = await call(functionUrlRequest('GET', '/health'));
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body ?? '')).toEqual({ status: 'ok', version: 'test', database: 'ok' });

    const list = await call(functionUrlRequest('GET', '/users?limit=1'));
    const page = JSON.parse(list.body ?? '');
    expect(list.statusCode).toBe(200);
    expect(page.items).toEqual([expect.objectContaining({ id: '1', name: 'Ada', email: 'ada@x.io' })]);
    const next = await call(functionUrlRequest('GET', `/users?limit=1&cursor=${page.nextCursor}`));
    expect(JSON.parse(next.body ?? '').items[0].name).toBe('Grace');

    const one = await call(functionUrlRequest('GET', '/users/2'));
    expect(JSON.parse(one.body ?? '').email).toBe('grace@x.io');
    expect((await call(functionUrlRequest('GET', '/users/404'))).statusCode).toBe(404);

    // Every request is measured under its route template, with its status.
    const metrics = await registry.metrics();
    expect(metrics).toContain('ingesta_api_requests_total{route="/users/{id}",method="GET",status="404"} 1');
    expect(metrics).toContain('ingesta_api_requests_total{route="/health",method="GET",status="200"} 1');
    expect(metrics).toMatch(/ingesta_api_request_duration_seconds_count\{route="\/users",method="GET"\} 2/);
  });

  it('counts a body over 256 KiB once, under its route, method and 413', async () => {
    const before = await registry.getSingleMetricAsString('ingesta_api_requests_total');
    expect(before).not.toContain('status="413"');
    const response = await call(
      functionUrlRequest('POST', '/users', {
        body: 'x'.repeat(300 * 1024),
        headers: { 'content-type': 'text/plain' },
      }),
    );
    expect(response.statusCode).toBe(413);
    expect(await registry.metrics()).toContain(
      'ingesta_api_requests_total{route="/users",method="POST",status="413"} 1',
    );
  });

  it('answers an invocation that is not a Function URL event with a 400 problem, not a stack trace', async () => {
    const context = createLambdaContext('ingesta-api');
    const response = await handler({ Records: [{ eventSource: 'aws:sqs' }] }, context);
    expect(response.statusCode).toBe(400);
    expect(response.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'x-request-id': context.awsRequestId,
    });
    expect(JSON.parse(response.body ?? '')).toMatchObject({
      type: 'urn:ingesta:problem:validation-error',
      status: 400,
      detail: 'The invocation is not a Function URL (payload 2.0) event.',
      requestId: context.awsRequestId,
    });
  });

  it('the API can publish to the topic: POST sends the exact PublishCommand and answers 202', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-msg-1' });
    const response = await call(
      functionUrlRequest('POST', '/users', {
        body: JSON.stringify({ name: ' Ada ', email: 'ADA@X.IO' }),
        headers: { 'idempotency-key': 'signup-123' },
      }),
    );
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? '')).toEqual({ eventId: 'signup-123', messageId: 'sns-msg-1' });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.TopicArn).toBe(TOPIC);
    expect(input?.MessageAttributes).toEqual({
      eventType: { DataType: 'String', StringValue: 'user.upserted' },
      schemaVersion: { DataType: 'String', StringValue: '1' },
    });
    expect(JSON.parse(input?.Message ?? '')).toEqual({
      eventId: 'signup-123',
      occurredAt: expect.stringMatching(/Z$/),
      user: { name: 'Ada', email: 'ada@x.io' },
    });
  });

  it('answers 503 with a request id when SNS fails, and logs no stack to the client', async () => {
    sns.on(PublishCommand).rejects(new Error('Throttling: Rate exceeded'));
    const response = await call(
      functionUrlRequest('POST', '/users', { body: '{"name":"A","email":"a@x.io"}' }),
    );
    expect(response.statusCode).toBe(503);
    const problem = JSON.parse(response.body ?? '');
    expect(problem).toMatchObject({
      status: 503,
      title: 'Service Unavailable',
      requestId: expect.any(String),
    });
    expect(response.body).not.toContain('Throttling');
    expect(response.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers 500 with only a request id when the store breaks unexpectedly, and logs the error under that id', async () => {
    const logged: string[] = [];
    // Powertools writes ERROR entries to stderr and the rest to stdout; keep both.
    const capture = (chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation(capture),
      vi.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
    const broken = createApiHandler({
      store: Object.assign(new InMemoryUserStore(), {
        listUsers: () => Promise.reject(new TypeError('x is undefined')),
      }),
      publisher: { publish: () => Promise.reject(new Error('unused')) },
      idempotency: { store: new SqlIdempotencyStore(database.db), policy: DEFAULT_IDEMPOTENCY_POLICY },
      logger: createLogger('ingesta-api', 'ERROR'),
      metrics: new PrometheusPipelineMetrics(new Registry()),
      version: 'test',
    });
    const context = createLambdaContext('ingesta-api');
    const response = await broken(functionUrlRequest('GET', '/users'), context).finally(() => {
      for (const spy of spies) spy.mockRestore();
    });
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body ?? '')).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
      requestId: context.awsRequestId,
    });
    expect(response.headers?.['x-request-id']).toBe(context.awsRequestId);

    const entry = logged
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((l) => l.level === 'ERROR');
    expect(entry).toMatchObject({
      message: 'Unhandled error',
      requestId: context.awsRequestId,
      function_request_id: context.awsRequestId,
      error: expect.objectContaining({
        name: 'TypeError',
        message: 'x is undefined',
        stack: expect.any(String),
      }),
    });
  });
});
