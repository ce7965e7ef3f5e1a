import type { Context } from 'aws-lambda';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UserStore } from '#shared/domain/ports.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import { functionUrlRequest } from '#tests/support/functionUrlRequest.ts';
import { InMemoryUserStore } from '#tests/support/inMemoryUserStore.ts';
import { noIdempotencyKeys } from '#tests/support/noIdempotencyKeys.ts';
import { createApiHandler } from './createApiHandler.ts';

/** Every query hangs, as against a paused database whose connect timeout outlasts the invocation. */
const hungStore = (): UserStore => {
  const store = new InMemoryUserStore();
  store.ping = () => new Promise<void>(() => {});
  return store;
};

/** A Lambda context whose remaining time runs down with the (fake) clock. */
const contextWithRemaining = (ms: number): Context => {
  const end = Date.now() + ms;
  return {
    awsRequestId: 'req-deadline',
    getRemainingTimeInMillis: () => end - Date.now(),
  } as Context;
};

const handlerWith = (options: { deadlineMs?: number }) =>
  createApiHandler(
    {
      store: hungStore(),
      publisher: { publish: async () => ({ messageId: 'm' }) },
      idempotency: noIdempotencyKeys,
      logger: createLogger('ingesta-api', 'SILENT'),
      metrics: new PrometheusPipelineMetrics(new Registry()),
      version: 'test',
    },
    options,
  );

/** Settles after `ms` of fake time, or reports that it had not by then. */
const settledAfter = async <T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> => {
  let settled: T | 'pending' = 'pending';
  void promise.then((value) => {
    settled = value;
  });
  await vi.advanceTimersByTimeAsync(ms);
  return settled;
};

describe('API handler deadline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("answers 503 one second before Lambda's timeout when no API_DEADLINE_MS is set", async () => {
    vi.useFakeTimers();
    const answer = handlerWith({})(functionUrlRequest('GET', '/health'), contextWithRemaining(10_000));

    expect(await settledAfter(answer, 8_999)).toBe('pending');
    expect(await settledAfter(answer, 1)).toMatchObject({
      statusCode: 503,
      headers: expect.objectContaining({ 'retry-after': '1', 'content-type': 'application/problem+json' }),
    });
  });

  it("answers at API_DEADLINE_MS when it comes before Lambda's timeout", async () => {
    vi.useFakeTimers();
    const answer = handlerWith({ deadlineMs: 3_000 })(
      functionUrlRequest('GET', '/health'),
      contextWithRemaining(10_000),
    );

    expect(await settledAfter(answer, 2_999)).toBe('pending');
    expect(await settledAfter(answer, 1)).toMatchObject({ statusCode: 503 });
  });

  it("keeps to Lambda's remaining time when API_DEADLINE_MS is longer", async () => {
    vi.useFakeTimers();
    const answer = handlerWith({ deadlineMs: 60_000 })(
      functionUrlRequest('GET', '/health'),
      contextWithRemaining(4_000),
    );

    expect(await settledAfter(answer, 2_999)).toBe('pending');
    expect(await settledAfter(answer, 1)).toMatchObject({ statusCode: 503 });
  });
});
