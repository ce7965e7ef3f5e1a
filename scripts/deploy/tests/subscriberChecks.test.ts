import { SnsSqsNotificationSchema, SqsSchema } from '@aws-lambda-powertools/parser/schemas';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../smoke/runChecks.ts';
import { createSmokeUser } from '../smoke/smokeUser.ts';
import { createSubscriberChecks } from '../smoke/subscriberChecks.ts';
import { ContractFakes } from './contractFakes.ts';
import { FakeInvoker } from './fakeInvoker.ts';

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
