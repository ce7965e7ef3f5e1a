import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ApiHandler, createApiHandler } from '#api/createApiHandler.ts';
import { createLambdaContext } from '#local/lambdaContext.ts';
import { DEFAULT_IDEMPOTENCY_POLICY } from '#shared/domain/idempotency.ts';
import type { UserEvent } from '#shared/domain/userEvent.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import { SqlIdempotencyStore } from '#shared/store/sqlIdempotencyStore.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { functionUrlRequest, signedBy } from '../support/functionUrlRequest.ts';
import { describeEachBackend, type TestDatabase } from '../support/testDatabase.ts';

/** A POST as a Function URL with AWS_IAM auth delivers it: signed by `userArn`. */
const signedPost = (userArn: string, key: string, email: string) =>
  signedBy(
    functionUrlRequest('POST', '/users', {
      body: JSON.stringify({ name: 'Ada', email }),
      headers: { 'idempotency-key': key },
    }),
    userArn,
  );

const ROLE_A = 'arn:aws:sts::123456789012:assumed-role/shop-a';
const ROLE_B = 'arn:aws:sts::123456789012:assumed-role/shop-b';

describeEachBackend('Idempotency-Keys are scoped to the signing principal, on $name', (backend) => {
  let database: TestDatabase;
  let handler: ApiHandler;
  const published: UserEvent[] = [];

  beforeAll(async () => {
    database = await backend.open();
    handler = createApiHandler({
      store: new SqlUserStore(database.db),
      publisher: {
        publish: async (event) => {
          published.push(event);
          return { messageId: `m-${published.length}` };
        },
      },
      idempotency: { store: new SqlIdempotencyStore(database.db), policy: DEFAULT_IDEMPOTENCY_POLICY },
      logger: createLogger('ingesta-api', 'SILENT'),
      metrics: new PrometheusPipelineMetrics(new Registry()),
      version: 'test',
    });
  });
  afterAll(() => database.dispose());

  const call = (event: unknown) => handler(event, createLambdaContext('ingesta-api'));

  it('lets two callers use the same key without colliding, and replays within one caller across sessions', async () => {
    const a = await call(signedPost(`${ROLE_A}/session-1`, 'order-1', 'a@x.io'));
    const b = await call(signedPost(`${ROLE_B}/session-1`, 'order-1', 'b@x.io'));
    expect([a.statusCode, b.statusCode]).toEqual([202, 202]);
    expect(published.map((e) => e.user.email)).toEqual(['a@x.io', 'b@x.io']);

    // The same role after a credential refresh (another session name) is the same caller.
    const retry = await call(signedPost(`${ROLE_A}/session-2`, 'order-1', 'a@x.io'));
    expect(retry.statusCode).toBe(202);
    expect(retry.headers?.['idempotent-replayed']).toBe('true');
    expect(retry.body).toBe(a.body);
    expect(await call(signedPost(`${ROLE_A}/session-2`, 'order-1', 'other@x.io'))).toMatchObject({
      statusCode: 422,
    });
    expect(published).toHaveLength(2);
  });
});
