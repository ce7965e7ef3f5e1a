import type { Context } from 'aws-lambda';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeadlineExceededError } from '#shared/domain/errors.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import { snsEvent, sqsEvent, sqsRecord, userEventBody } from '#tests/support/events.ts';
import { InMemoryUserStore } from '#tests/support/inMemoryUserStore.ts';
import { createSubscriberHandler } from './createSubscriberHandler.ts';

/** Writes hang, as against a paused database whose connect timeout outlasts the invocation. */
const hungStore = () => {
  const store = new InMemoryUserStore();
  store.upsertUsers = () => new Promise(() => {});
  return store;
};

const contextWithRemaining = (ms: number): Context => {
  const end = Date.now() + ms;
  return { awsRequestId: 'r', getRemainingTimeInMillis: () => end - Date.now() } as Context;
};

/** The outcome after `ms` of fake time: the value, the error, or 'pending'. */
const outcomeAfter = async (promise: Promise<unknown>, ms: number): Promise<unknown> => {
  let outcome: unknown = 'pending';
  promise.then(
    (value) => {
      outcome = value;
    },
    (error: unknown) => {
      outcome = error;
    },
  );
  await vi.advanceTimersByTimeAsync(ms);
  return outcome;
};

describe('subscriber deadline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fails an SQS batch by throwing one second before Lambda's timeout, counted as an error batch", async () => {
    vi.useFakeTimers();
    const registry = new Registry();
    const handler = createSubscriberHandler({
      store: hungStore(),
      logger: createLogger('ingesta-suscriptor', 'SILENT'),
      metrics: new PrometheusPipelineMetrics(registry),
      migrate: () => Promise.reject(new Error('unused')),
    });
    const batch = handler(sqsEvent(sqsRecord('m1', userEventBody('a@x.io'))), contextWithRemaining(30_000));

    expect(await outcomeAfter(batch, 28_999)).toBe('pending');
    const thrown = await outcomeAfter(batch, 1);
    expect(thrown).toBeInstanceOf(DeadlineExceededError);
    expect(thrown).toMatchObject({ deadlineMs: 29_000 });
    expect(await registry.metrics()).toContain('ingesta_subscriber_batches_total{result="error"} 1');
  });

  it('fails an SNS delivery the same way, so SNS retries it', async () => {
    vi.useFakeTimers();
    const handler = createSubscriberHandler({
      store: hungStore(),
      logger: createLogger('ingesta-suscriptor', 'SILENT'),
      metrics: new PrometheusPipelineMetrics(new Registry()),
      migrate: () => Promise.reject(new Error('unused')),
    });
    const delivery = handler(snsEvent(userEventBody('a@x.io')), contextWithRemaining(5_000));

    expect(await outcomeAfter(delivery, 3_999)).toBe('pending');
    expect(await outcomeAfter(delivery, 1)).toBeInstanceOf(DeadlineExceededError);
  });
});

describe('subscriber failure reasons', () => {
  const leaky = () => {
    const store = new InMemoryUserStore();
    // An error whose text quotes the row (an unclassified driver error surfaces as is).
    store.failUpsert = (events) => new Error(`cannot write ${events.map((e) => e.user.email).join(', ')}`);
    return store;
  };
  const handlerWith = (store: InMemoryUserStore, reasons: string[]) =>
    createSubscriberHandler({
      store,
      logger: createLogger('ingesta-suscriptor', 'SILENT'),
      metrics: new PrometheusPipelineMetrics(new Registry()),
      migrate: () => Promise.reject(new Error('unused')),
      onRecordFailure: (failure) => reasons.push(failure.reason),
    });

  it('redacts emails from the reasons it reports and the error it throws for an SQS batch', async () => {
    const reasons: string[] = [];
    const thrown = await handlerWith(leaky(), reasons)(
      sqsEvent(sqsRecord('m1', userEventBody('ada@x.io'))),
      contextWithRemaining(30_000),
    ).catch((e: unknown) => e as Error);
    expect(reasons).toHaveLength(1);
    expect([...reasons, String(thrown)].join('\n')).not.toContain('ada@x.io');
    expect(reasons[0]).toMatch(/cannot write <email:[0-9a-f]{12}>/);
  });

  it('redacts emails from the error it throws for an SNS invocation', async () => {
    const reasons: string[] = [];
    const thrown = await handlerWith(leaky(), reasons)(
      snsEvent(userEventBody('ada@x.io')),
      contextWithRemaining(30_000),
    ).catch((e: unknown) => e as Error);
    expect(String(thrown)).toMatch(/cannot write <email:[0-9a-f]{12}>/);
    expect([...reasons, String(thrown)].join('\n')).not.toContain('ada@x.io');
  });
});
