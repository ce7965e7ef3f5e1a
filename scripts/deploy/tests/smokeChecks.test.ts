import { SnsSqsNotificationSchema, SqsSchema } from '@aws-lambda-powertools/parser/schemas';
import type { LambdaFunctionURLEvent, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { InvokeResult } from '../invokers.ts';
import { createApiChecks, createSmokeUser, createSubscriberChecks } from '../smokeChecks.ts';
import { runChecks } from '../smokeReport.ts';
import { ContractFakes, FakeInvoker, urlResult } from './fakes.ts';

const apiInvoker = (
  fakes: ContractFakes,
  override?: (event: LambdaFunctionURLEvent) => InvokeResult | undefined,
): FakeInvoker =>
  new FakeInvoker((payload) => {
    const event = payload as LambdaFunctionURLEvent;
    return override?.(event) ?? { statusCode: 200, payload: fakes.api(event) };
  });

const isRoute = (event: LambdaFunctionURLEvent, method: string, path: string): boolean =>
  event.requestContext.http.method === method && event.rawPath === path;

describe('API smoke checks', () => {
  it('pass against an API that honours the contract, posting the unique smoke user', async () => {
    // Prepare
    const fakes = new ContractFakes();
    const user = createSmokeUser();

    // Act
    const report = await runChecks(apiInvoker(fakes), createApiChecks(user));

    // Assess
    expect(report.outcomes.map((outcome) => [outcome.name, outcome.passed])).toEqual([
      ['GET /health → 200 ok', true],
      ['GET /users?limit=1 → 200 page', true],
      ['POST /users (smoke user) → 202', true],
      ['POST /users (invalid) → 400', true],
    ]);
    expect(report.passed).toBe(true);
    expect(fakes.published).toEqual([user]);
    expect(user.email).toMatch(/^smoke-\d+-[0-9a-f]{8}@example\.com$/);
  });

  it('fail a check whose invoke carries a FunctionError, keeping the payload for the report', async () => {
    const fakes = new ContractFakes();
    const crash = { errorType: 'TypeError', errorMessage: 'boom' };
    const invoker = apiInvoker(fakes, (event) =>
      isRoute(event, 'GET', '/health')
        ? { statusCode: 200, functionError: 'Unhandled', payload: crash }
        : undefined,
    );

    const report = await runChecks(invoker, createApiChecks(createSmokeUser()));

    const health = report.outcomes[0];
    expect(health?.passed).toBe(false);
    expect(health?.detail).toBe('FunctionError Unhandled');
    expect(health?.invocation?.payload).toEqual(crash);
    expect(report.passed).toBe(false);
    expect(report.outcomes.slice(1).every((outcome) => outcome.passed)).toBe(true);
  });

  it('fail when the invoke StatusCode is not 200', async () => {
    const invoker = apiInvoker(new ContractFakes(), () => ({ statusCode: 500, payload: null }));

    const report = await runChecks(invoker, createApiChecks(createSmokeUser()));

    expect(report.outcomes.every((outcome) => outcome.detail === 'Invoke StatusCode 500, expected 200')).toBe(
      true,
    );
  });

  it('fail when the health endpoint reports the database down', async () => {
    const invoker = apiInvoker(new ContractFakes(), (event) =>
      isRoute(event, 'GET', '/health')
        ? { statusCode: 200, payload: urlResult(503, { status: 'error', database: 'down' }) }
        : undefined,
    );

    const report = await runChecks(invoker, createApiChecks(createSmokeUser()));

    expect(report.outcomes[0]).toMatchObject({ passed: false, detail: 'HTTP 503, expected 200' });
  });

  it('fail when a page does not have the contract shape', async () => {
    const invoker = apiInvoker(new ContractFakes(), (event) =>
      isRoute(event, 'GET', '/users') ? { statusCode: 200, payload: urlResult(200, [{ id: 1 }]) } : undefined,
    );

    const report = await runChecks(invoker, createApiChecks(createSmokeUser()));

    expect(report.outcomes[1]?.passed).toBe(false);
    expect(report.outcomes[1]?.detail).toMatch(/^page body: /);
  });

  it('fail when limit=1 returns more than one user', async () => {
    const fakes = new ContractFakes();
    fakes.store({ name: 'A', email: 'a@example.com' });
    fakes.store({ name: 'B', email: 'b@example.com' });
    const invoker = apiInvoker(fakes, (event) =>
      isRoute(event, 'GET', '/users')
        ? { statusCode: 200, payload: urlResult(200, { items: fakes.users, nextCursor: null }) }
        : undefined,
    );

    const report = await runChecks(invoker, createApiChecks(createSmokeUser()));

    expect(report.outcomes[1]).toMatchObject({ passed: false, detail: 'limit=1 returned 2 items' });
  });

  it('fail when an invalid POST is accepted', async () => {
    const invoker = apiInvoker(new ContractFakes(), (event) =>
      isRoute(event, 'POST', '/users')
        ? { statusCode: 200, payload: urlResult(202, { eventId: 'e', messageId: 'm' }) }
        : undefined,
    );

    const report = await runChecks(invoker, createApiChecks(createSmokeUser()));

    expect(report.outcomes[3]).toMatchObject({ passed: false, detail: 'HTTP 202, expected 400' });
  });

  it('fail a 400 that is not application/problem+json', async () => {
    const invoker = apiInvoker(new ContractFakes(), (event) =>
      event.body?.includes('not-an-email')
        ? { statusCode: 200, payload: urlResult(400, { message: 'bad' }, 'text/plain') }
        : undefined,
    );

    const report = await runChecks(invoker, createApiChecks(createSmokeUser()));

    expect(report.outcomes[3]?.detail).toBe('content-type "text/plain", expected application/problem+json');
  });
});

const subscriberInvoker = (fakes: ContractFakes, answer?: (event: SQSEvent) => unknown): FakeInvoker =>
  new FakeInvoker((payload) => ({
    statusCode: 200,
    payload: answer ? answer(payload as SQSEvent) : fakes.subscriber(payload),
  }));

describe('subscriber smoke check', () => {
  it('sends a real-shaped SQS batch whose valid record carries an SNS envelope with the user event', async () => {
    const fakes = new ContractFakes();
    const user = createSmokeUser();
    const invoker = subscriberInvoker(fakes);

    await runChecks(invoker, createSubscriberChecks(user));

    const event = SqsSchema.parse(invoker.calls[0]);
    const [valid, invalid] = event.Records;
    const envelope = SnsSqsNotificationSchema.parse(JSON.parse(valid?.body ?? ''));
    expect(envelope.MessageAttributes).toEqual({
      eventType: { Type: 'String', Value: 'user.upserted' },
      schemaVersion: { Type: 'String', Value: '1' },
    });
    const message = JSON.parse(envelope.Message) as Record<string, unknown>;
    expect(message).toEqual({ eventId: expect.any(String), occurredAt: expect.any(String), user });
    expect(new Date(message.occurredAt as string).toISOString()).toBe(message.occurredAt);
    expect(() => JSON.parse(invalid?.body ?? '')).toThrow();
  });

  it('passes when batchItemFailures names exactly the invalid record', async () => {
    const fakes = new ContractFakes();
    const user = createSmokeUser();

    const report = await runChecks(subscriberInvoker(fakes), createSubscriberChecks(user));

    expect(report.passed).toBe(true);
    expect(fakes.users.map((stored) => stored.email)).toEqual([user.email]);
  });

  it('fails when the valid record is reported as failed too', async () => {
    const answerAllFailed = (event: SQSEvent) => ({
      batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })),
    });

    const report = await runChecks(
      subscriberInvoker(new ContractFakes(), answerAllFailed),
      createSubscriberChecks(createSmokeUser()),
    );

    expect(report.passed).toBe(false);
    expect(report.outcomes[0]?.detail).toMatch(/^batchItemFailures \["smoke-valid-.*","smoke-invalid-.*"\]/);
  });

  it('fails when the invalid record is silently accepted', async () => {
    const report = await runChecks(
      subscriberInvoker(new ContractFakes(), () => ({ batchItemFailures: [] })),
      createSubscriberChecks(createSmokeUser()),
    );

    expect(report.outcomes[0]?.detail).toMatch(/^batchItemFailures \[\], expected exactly/);
  });

  it('fails when the response is not a partial batch response', async () => {
    const report = await runChecks(
      subscriberInvoker(new ContractFakes(), () => ({ statusCode: 200, body: 'ok' })),
      createSubscriberChecks(createSmokeUser()),
    );

    expect(report.outcomes[0]?.detail).toBe('Response is not { batchItemFailures: [...] }');
  });

  it('fails when the handler throws, which would retry the whole batch', async () => {
    const invoker = new FakeInvoker(() => ({
      statusCode: 200,
      functionError: 'Unhandled',
      payload: { errorType: 'Error', errorMessage: 'db down' },
    }));

    const report = await runChecks(invoker, createSubscriberChecks(createSmokeUser()));

    expect(report.outcomes[0]).toMatchObject({ passed: false, detail: 'FunctionError Unhandled' });
  });
});
