import type { Context } from 'aws-lambda';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createApiHandler } from '#api/createApiHandler.ts';
import { createLambdaContext } from '#local/lambdaContext.ts';
import type { DatabaseConfig } from '#shared/config/databaseConfig.ts';
import { DeadlineExceededError, DependencyUnavailableError } from '#shared/domain/errors.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import { createPgPool } from '#shared/store/pg/createPgPool.ts';
import { PgExecutor } from '#shared/store/pg/pgExecutor.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { createSubscriberHandler } from '#subscriber/createSubscriberHandler.ts';
import { snsEnvelopeBody, sqsEvent, sqsRecord, userEventBody } from '../support/events.ts';
import { functionUrlRequest } from '../support/functionUrlRequest.ts';
import { noIdempotencyKeys } from '../support/noIdempotencyKeys.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.ts';
import { describeOn, postgresql, type TestDatabase } from '../support/testDatabase.ts';

/** Aurora takes about 15 s to resume from a pause, longer after a long one: every new connection waits 20 s. */
const RESUME_MS = 20_000;

class LambdaTimeoutError extends Error {
  override readonly name = 'LambdaTimeoutError';
}

/**
 * Invokes as Lambda would: a context whose time runs out after `timeoutMs`, and the invocation cut off then.
 * A handler that answers (or throws) by itself settles first; one that does not shows as LambdaTimeoutError.
 */
const invoke = async <R>(
  handler: (event: unknown, context: Context) => Promise<R>,
  event: unknown,
  functionName: string,
  timeoutMs: number,
): Promise<R> => {
  let timer: NodeJS.Timeout | undefined;
  const cutOff = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new LambdaTimeoutError(`Task timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([handler(event, createLambdaContext(functionName, { timeoutMs })), cutOff]);
  } finally {
    clearTimeout(timer);
  }
};

describeOn(postgresql, 'a database resuming from a pause (connections held 20 s), on $name', (backend) => {
  let database: TestDatabase & { url: string };
  let proxy: TcpProxy;
  const pools: PgExecutor[] = [];

  /** A pool through the proxy with the function's own connect timeout. */
  const poolWith = async (connectTimeoutMs: number): Promise<PgExecutor> => {
    const viaProxy = new URL(database.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const config: DatabaseConfig = {
      kind: 'url',
      url: viaProxy.toString(),
      ssl: undefined,
      poolMax: 2,
      statementTimeoutMs: 5_000,
      connectTimeoutMs,
      applicationName: 'ingesta-fault-paused',
    };
    const db = new PgExecutor(await createPgPool(config));
    pools.push(db);
    return db;
  };

  const api = async ({ connectTimeoutMs, deadlineMs }: { connectTimeoutMs: number; deadlineMs: number }) =>
    createApiHandler(
      {
        store: new SqlUserStore(await poolWith(connectTimeoutMs)),
        publisher: { publish: () => Promise.reject(new Error('GET routes never publish')) },
        idempotency: noIdempotencyKeys,
        logger: createLogger('ingesta-api', 'SILENT'),
        metrics: new PrometheusPipelineMetrics(new Registry()),
        version: 'test',
      },
      { deadlineMs },
    );

  const subscriber = async (connectTimeoutMs: number) =>
    createSubscriberHandler({
      store: new SqlUserStore(await poolWith(connectTimeoutMs)),
      logger: createLogger('ingesta-suscriptor', 'SILENT'),
      metrics: new PrometheusPipelineMetrics(new Registry()),
      migrate: () => Promise.reject(new Error('unused')),
    });

  const batch = (email: string) => sqsEvent(sqsRecord(`m-${email}`, snsEnvelopeBody(userEventBody(email))));

  const expect503 = (response: { statusCode?: number; headers?: unknown; body?: string }, detail: string) => {
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'retry-after': '1',
    });
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ status: 503, detail });
  };

  beforeAll(async () => {
    database = await backend.open();
    const target = new URL(database.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  });
  afterEach(async () => {
    proxy.setMode('pass');
    proxy.cutAll();
    await Promise.all(pools.splice(0).map((db) => db.close()));
  });
  afterAll(async () => {
    await proxy.close();
    await database.dispose();
  });

  it('the API answers 503 with Retry-After when its connect timeout (2 s) gives up before its deadline (3 s) and its timeout (5 s)', async () => {
    proxy.setMode('hold', { holdMs: RESUME_MS });
    const handler = await api({ connectTimeoutMs: 2_000, deadlineMs: 3_000 });

    for (const path of ['/health', '/users', '/users/1']) {
      expect503(
        await invoke(handler, functionUrlRequest('GET', path), 'ingesta-api', 5_000),
        'The database is unavailable.',
      );
    }
  });

  it('the API answers 503 at its deadline even when its connect timeout (25 s) would outlast the invocation (5 s)', async () => {
    proxy.setMode('hold', { holdMs: RESUME_MS });
    const handler = await api({ connectTimeoutMs: 25_000, deadlineMs: 3_000 });

    expect503(
      await invoke(handler, functionUrlRequest('GET', '/users'), 'ingesta-api', 5_000),
      'The request did not finish in time.',
    );
    // With no API_DEADLINE_MS, Lambda's remaining time less a margin is the deadline.
    const uncapped = await api({ connectTimeoutMs: 25_000, deadlineMs: 60_000 });
    expect503(
      await invoke(uncapped, functionUrlRequest('GET', '/health'), 'ingesta-api', 3_000),
      'The request did not finish in time.',
    );
  });

  it('the subscriber fails the batch by throwing before its timeout: unavailable (connect timeout 2 s) or past its deadline (connect timeout 25 s)', async () => {
    proxy.setMode('hold', { holdMs: RESUME_MS });

    const failFast = await subscriber(2_000);
    await expect(invoke(failFast, batch('paused-1@x.io'), 'ingesta-suscriptor', 5_000)).rejects.toThrow(
      expect.objectContaining({ cause: expect.any(DependencyUnavailableError) }),
    );

    const waiting = await subscriber(25_000);
    await expect(invoke(waiting, batch('paused-2@x.io'), 'ingesta-suscriptor', 5_000)).rejects.toBeInstanceOf(
      DeadlineExceededError,
    );
    const { rows } = await database.db.query("SELECT 1 FROM users WHERE email LIKE 'paused-%'");
    expect(rows).toEqual([]);
  });

  it('a subscriber whose connect timeout (25 s) outlasts the resume writes the batch within its timeout (30 s)', async () => {
    proxy.setMode('hold', { holdMs: RESUME_MS });
    const handler = await subscriber(25_000);

    await expect(invoke(handler, batch('resumed@x.io'), 'ingesta-suscriptor', 30_000)).resolves.toEqual({
      batchItemFailures: [],
    });
    const { rows } = await database.db.query<{ email: string }>(
      "SELECT email FROM users WHERE email = 'resumed@x.io'",
    );
    expect(rows).toEqual([{ email: 'resumed@x.io' }]);
  }, 60_000);

  it('once resumed, the API answers again on fresh connections', async () => {
    proxy.setMode('hold', { holdMs: RESUME_MS });
    const handler = await api({ connectTimeoutMs: 2_000, deadlineMs: 3_000 });
    expect(
      (await invoke(handler, functionUrlRequest('GET', '/health'), 'ingesta-api', 5_000)).statusCode,
    ).toBe(503);

    proxy.setMode('pass');
    expect(
      (await invoke(handler, functionUrlRequest('GET', '/health'), 'ingesta-api', 5_000)).statusCode,
    ).toBe(200);
  });
});
