import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ApiHandler, createApiHandler } from '#api/createApiHandler.ts';
import { createLambdaContext } from '#local/lambdaContext.ts';
import { DEFAULT_IDEMPOTENCY_POLICY } from '#shared/domain/idempotency.ts';
import type { UserEventPublisher } from '#shared/domain/ports.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import { createPgPool } from '#shared/store/pg/createPgPool.ts';
import { PgExecutor } from '#shared/store/pg/pgExecutor.ts';
import type { SqlExecutor } from '#shared/store/sqlExecutor.ts';
import { SqlIdempotencyStore } from '#shared/store/sqlIdempotencyStore.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { FlakyExecutor } from '../support/flakyExecutor.ts';
import { functionUrlRequest } from '../support/functionUrlRequest.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.ts';
import { describeEachBackend, describeOn, postgresql, type TestDatabase } from '../support/testDatabase.ts';

const ROUTES = ['/health', '/users', '/users?limit=2', '/users/1'];

const unusedPublisher: UserEventPublisher = {
  publish: () => Promise.reject(new Error('GET routes never publish')),
};

const apiOver = (db: SqlExecutor): ApiHandler =>
  createApiHandler({
    store: new SqlUserStore(db),
    publisher: unusedPublisher,
    idempotency: { store: new SqlIdempotencyStore(db), policy: DEFAULT_IDEMPOTENCY_POLICY },
    logger: createLogger('ingesta-api', 'SILENT'),
    metrics: new PrometheusPipelineMetrics(new Registry()),
    version: 'test',
  });

const get = async (handler: ApiHandler, path: string) => {
  const response = await handler(functionUrlRequest('GET', path), createLambdaContext('ingesta-api'));
  return { ...response, problem: JSON.parse(response.body ?? '{}') as Record<string, unknown> };
};

const expectUnavailable = (response: Awaited<ReturnType<typeof get>>): void => {
  expect(response.statusCode).toBe(503);
  expect(response.headers).toMatchObject({
    'content-type': 'application/problem+json',
    'retry-after': '1',
  });
  expect(response.problem).toMatchObject({ status: 503, detail: 'The database is unavailable.' });
  // The driver's words (hosts, ports, SQL) never reach a client.
  expect(String(response.body)).not.toMatch(/ECONN|terminated|timeout|127\.0\.0\.1/);
};

describeEachBackend('every route when the database drops its connections, on $name', (backend) => {
  let database: TestDatabase;
  let flaky: FlakyExecutor;

  beforeAll(async () => {
    database = await backend.open();
    flaky = new FlakyExecutor(database.db);
  });
  afterAll(() => database.dispose());

  it.each(ROUTES)('GET %s answers 503 problem+json with Retry-After, then recovers', async (path) => {
    const handler = apiOver(flaky);
    flaky.down = true;
    expectUnavailable(await get(handler, path));
    flaky.down = false;
    expect((await get(handler, path)).statusCode).toBeLessThan(500);
  });
});

// A real driver behind a real network fault needs a PostgreSQL server.
describeOn(postgresql, 'every route behind a failing network to $name', (backend) => {
  let proxy: TcpProxy;
  let database: TestDatabase & { url: string };
  let db: PgExecutor;
  let handler: ApiHandler;

  beforeAll(async () => {
    database = await backend.open({ migrated: false });
    const target = new URL(database.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(database.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const pool = await createPgPool({
      kind: 'url',
      url: viaProxy.toString(),
      ssl: undefined,
      poolMax: 2,
      statementTimeoutMs: 2_000,
      connectTimeoutMs: 500,
      applicationName: 'ingesta-fault',
    });
    db = new PgExecutor(pool);
    const { migrate } = await import('#shared/store/migrate.ts');
    const { migrations } = await import('#shared/store/migrations/index.ts');
    await migrate(db, migrations);
    handler = apiOver(db);
  });
  afterAll(async () => {
    await db.close();
    await proxy.close();
    await database.dispose();
  });

  it.each([
    ['refused connections', 'refuse'],
    ['a server that accepts and never answers (connect timeout)', 'stall'],
  ] as const)('answers 503 on every route for %s, then recovers', async (_label, mode) => {
    proxy.cutAll();
    proxy.setMode(mode);
    for (const path of ROUTES) expectUnavailable(await get(handler, path));
    proxy.setMode('pass');
    for (const path of ROUTES) expect((await get(handler, path)).statusCode).toBeLessThan(500);
  });

  it('answers 503 when open connections are cut under it', async () => {
    expect((await get(handler, '/users')).statusCode).toBe(200);
    proxy.cutAll();
    proxy.setMode('refuse');
    expectUnavailable(await get(handler, '/users'));
    proxy.setMode('pass');
    expect((await get(handler, '/users')).statusCode).toBe(200);
  });
});
