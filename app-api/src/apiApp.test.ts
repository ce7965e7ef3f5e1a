import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DependencyUnavailableError } from '#shared/domain/errors.ts';
import type { UserEventPublisher } from '#shared/domain/ports.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import { InMemoryUserStore, sampleUser } from '#tests/support/inMemoryUserStore.ts';
import { noIdempotencyKeys } from '#tests/support/noIdempotencyKeys.ts';
import { createApiApp } from './apiApp.ts';
import type { HttpRequest } from './http/httpTypes.ts';

/** Powertools writes ERROR lines to stderr and the rest to stdout: capture both as parsed entries. */
const captureLogs = (): Record<string, unknown>[] => {
  const entries: Record<string, unknown>[] = [];
  const capture = (chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) entries.push(JSON.parse(line));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  return entries;
};

const request = (method: string, path: string, body?: string, requestId = 'req-1'): HttpRequest => ({
  method,
  path,
  query: new URLSearchParams(),
  headers: body === undefined ? {} : { 'content-type': 'application/json' },
  body: body === undefined ? undefined : Buffer.from(body),
  requestId,
});

const appWith = (publisher: UserEventPublisher) => {
  const store = new InMemoryUserStore();
  store.users.push(sampleUser(1));
  const registry = new Registry();
  const app = createApiApp({
    store,
    publisher,
    idempotency: noIdempotencyKeys,
    logger: createLogger('ingesta-api', 'INFO'),
    metrics: new PrometheusPipelineMetrics(registry),
    version: 'test',
  });
  return { app, registry };
};

const accepting: UserEventPublisher = { publish: async () => ({ messageId: 'm-1' }) };

describe('API app request log', () => {
  afterEach(() => vi.restoreAllMocks());

  it('logs one INFO line per request with method, route template, status, duration and request id', async () => {
    const { app } = appWith(accepting);
    const logs = captureLogs();
    await app(request('GET', '/users/1', undefined, 'req-ok'));
    await app(request('GET', '/users/999', undefined, 'req-404'));
    vi.restoreAllMocks();

    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatchObject({
      level: 'INFO',
      method: 'GET',
      route: '/users/{id}',
      status: 200,
      requestId: 'req-ok',
      durationMs: expect.any(Number),
    });
    expect(logs[1]).toMatchObject({ level: 'INFO', route: '/users/{id}', status: 404, requestId: 'req-404' });
  });

  it('never logs the body, the name or the email of a submission, accepted or refused', async () => {
    const { app } = appWith(accepting);
    const logs = captureLogs();
    await app(request('POST', '/users', '{"name":"Ada Secret","email":"ada.secret@example.com"}'));
    await app(request('POST', '/users', '{"name":"","email":"grace.secret@example.com"}', 'req-400'));
    vi.restoreAllMocks();

    expect(logs.map((l) => l.status)).toEqual([202, 400]);
    expect(logs[1]).toMatchObject({ method: 'POST', route: '/users', requestId: 'req-400' });
    expect(JSON.stringify(logs)).not.toMatch(/secret/i);
  });

  it('logs a server error once, at ERROR, with the error and the request line', async () => {
    const { app } = appWith({
      publish: () => Promise.reject(new DependencyUnavailableError('topic', 'throttled')),
    });
    const logs = captureLogs();
    await app(request('POST', '/users', '{"name":"Ada","email":"ada@example.com"}', 'req-503'));
    vi.restoreAllMocks();

    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      level: 'ERROR',
      message: 'Request failed on a dependency',
      method: 'POST',
      route: '/users',
      status: 503,
      requestId: 'req-503',
      error: expect.objectContaining({ name: 'DependencyUnavailableError' }),
    });
  });

  it('counts an unmatched request once under a bounded route label', async () => {
    const { app, registry } = appWith(accepting);
    captureLogs();
    await app(request('GET', '/orders/123'));
    vi.restoreAllMocks();
    expect(await registry.metrics()).toContain(
      'ingesta_api_requests_total{route="unmatched",method="GET",status="404"} 1',
    );
  });
});

describe('API app headers', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ['an answer', 'GET', '/users/1'],
    ['a problem', 'GET', '/users/999'],
    ['an unmatched path', 'GET', '/orders/1'],
  ])('sends nosniff and the request id on %s, in AWS as locally', async (_label, method, path) => {
    const { app } = appWith(accepting);
    captureLogs();
    const response = await app(request(method, path, undefined, 'req-9'));
    vi.restoreAllMocks();
    expect(response.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-request-id': 'req-9' });
  });
});

/** A store whose every call waits until released, like a database resuming from a pause. */
const pausedStore = () => {
  const store = new InMemoryUserStore();
  store.users.push(sampleUser(1));
  let release: () => void = () => {};
  const resumed = new Promise<void>((resolve) => {
    release = resolve;
  });
  const wait =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await resumed;
      return fn(...args);
    };
  store.getUser = wait(store.getUser.bind(store));
  store.ping = wait(store.ping.bind(store));
  return { store, release };
};

describe('API deadline', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('answers 503 problem+json with Retry-After when the deadline passes, logged and counted once', async () => {
    vi.useFakeTimers();
    const { store, release } = pausedStore();
    const registry = new Registry();
    const app = createApiApp({
      store,
      publisher: accepting,
      idempotency: noIdempotencyKeys,
      logger: createLogger('ingesta-api', 'INFO'),
      metrics: new PrometheusPipelineMetrics(registry),
      version: 'test',
    });
    const logs = captureLogs();

    const answer = app({ ...request('GET', '/users/1', undefined, 'req-late'), deadlineMs: 2_000 });
    await vi.advanceTimersByTimeAsync(2_000);
    const response = await answer;
    // The abandoned work finishes later (the database resumed): no second line, no second count.
    release();
    await vi.advanceTimersByTimeAsync(0);
    vi.restoreAllMocks();

    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'retry-after': '1',
    });
    expect(JSON.parse(response.body)).toMatchObject({
      status: 503,
      detail: 'The request did not finish in time.',
      requestId: 'req-late',
    });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ level: 'ERROR', route: '/users/{id}', status: 503 });
    expect(await registry.metrics()).toContain(
      'ingesta_api_requests_total{route="/users/{id}",method="GET",status="503"} 1',
    );
  });

  it('answers as usual when the work finishes before the deadline', async () => {
    const { app } = appWith(accepting);
    captureLogs();
    const response = await app({ ...request('GET', '/users/1'), deadlineMs: 60_000 });
    vi.restoreAllMocks();
    expect(response.statusCode).toBe(200);
  });
});
