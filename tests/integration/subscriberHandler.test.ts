import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createLambdaContext } from '#local/lambdaContext.ts';
import type { IngestFailure } from '#shared/domain/ingestUserEvents.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import { migrate } from '#shared/store/migrate.ts';
import { migrations } from '#shared/store/migrations/index.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { createSubscriberHandler, type SubscriberHandler } from '#subscriber/createSubscriberHandler.ts';
import { snsEnvelopeBody, snsEvent, sqsEvent, sqsRecord, userEventBody } from '../support/events.ts';
import { describeEachBackend, type TestDatabase } from '../support/testDatabase.ts';

describeEachBackend('subscriber handler on $name', (backend) => {
  let database: TestDatabase;
  let handler: SubscriberHandler;
  let registry: Registry;
  const failures: IngestFailure[] = [];

  beforeAll(async () => {
    database = await backend.open();
  });
  afterAll(() => database.dispose());
  beforeEach(async () => {
    registry = new Registry();
    handler = createSubscriberHandler({
      store: new SqlUserStore(database.db),
      logger: createLogger('ingesta-suscriptor', 'SILENT'),
      metrics: new PrometheusPipelineMetrics(registry),
      migrate: () => migrate(database.db, migrations),
      onRecordFailure: (f) => failures.push(f),
    });
    failures.length = 0;
    await database.db.exec('TRUNCATE users RESTART IDENTITY');
  });

  const call = (event: unknown) => handler(event, createLambdaContext('ingesta-suscriptor'));
  const emails = async () =>
    (await database.db.query<{ email: string }>('SELECT email FROM users ORDER BY id')).rows.map(
      (r) => r.email,
    );

  it('the subscriber receives a message and writes it to the database', async () => {
    const result = await call(sqsEvent(sqsRecord('m1', snsEnvelopeBody(userEventBody('ada@x.io')))));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await emails()).toEqual(['ada@x.io']);
  });

  it('accepts raw message delivery too', async () => {
    await call(sqsEvent(sqsRecord('m1', userEventBody('raw@x.io'))));
    expect(await emails()).toEqual(['raw@x.io']);
  });

  it('names only the poison records in batchItemFailures and writes the rest', async () => {
    const result = await call(
      sqsEvent(
        sqsRecord('good-1', snsEnvelopeBody(userEventBody('a@x.io'))),
        sqsRecord('truncated', snsEnvelopeBody(userEventBody('b@x.io').slice(0, 30))),
        sqsRecord('invalid', snsEnvelopeBody(userEventBody('not-an-email'))),
        sqsRecord(
          'foreign',
          snsEnvelopeBody(userEventBody('c@x.io'), { eventType: 'order.created', schemaVersion: '1' }),
        ),
        sqsRecord('good-2', userEventBody('d@x.io')),
      ),
    );
    expect(result).toEqual({
      batchItemFailures: [
        { itemIdentifier: 'truncated' },
        { itemIdentifier: 'invalid' },
        { itemIdentifier: 'foreign' },
      ],
    });
    expect(await emails()).toEqual(['a@x.io', 'd@x.io']);
    expect(failures.map((f) => f.id)).toEqual(['truncated', 'invalid', 'foreign']);
    expect(failures[1]?.reason).toContain('user.email');

    const metrics = await registry.metrics();
    expect(metrics).toContain('ingesta_subscriber_records_total{outcome="written"} 2');
    expect(metrics).toContain('ingesta_subscriber_records_total{outcome="failed"} 3');
    expect(metrics).toContain('ingesta_subscriber_batches_total{result="partial"} 1');
    expect(metrics).toContain('ingesta_event_age_seconds_count 2');
  });

  it('treats a redelivered batch as a no-op', async () => {
    const batch = sqsEvent(
      sqsRecord('m1', userEventBody('a@x.io')),
      sqsRecord('m2', userEventBody('a@x.io')),
    );
    await call(batch);
    const before = await database.db.query('SELECT * FROM users');
    expect(await call(batch)).toEqual({ batchItemFailures: [] });
    expect((await database.db.query('SELECT * FROM users')).rows).toEqual(before.rows);
    // Both batches landed; the second changed nothing.
    expect(await registry.metrics()).toContain('ingesta_subscriber_records_total{outcome="unchanged"} 3');
  });

  it('fails the records of a row the database refuses, not the batch', async () => {
    const tooLong = userEventBody('long@x.io', { user: { name: 'x'.repeat(200), email: 'long@x.io' } });
    await database.db.exec(
      'ALTER TABLE users ADD CONSTRAINT test_short_name CHECK (char_length(name) < 100)',
    );
    try {
      const result = await call(
        sqsEvent(sqsRecord('ok', userEventBody('ok@x.io')), sqsRecord('long', tooLong)),
      );
      expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'long' }] });
      expect(await emails()).toEqual(['ok@x.io']);
      expect(failures[0]?.reason).toMatch(/^Database write failed: .*test_short_name/);
    } finally {
      await database.db.exec('ALTER TABLE users DROP CONSTRAINT test_short_name');
    }
  });

  it('throws for a record without a messageId, so the whole batch is retried', async () => {
    await expect(
      call({ Records: [{ eventSource: 'aws:sqs', body: userEventBody('a@x.io') }] }),
    ).rejects.toThrow(/no messageId/);
    expect(await registry.metrics()).toContain('ingesta_subscriber_batches_total{result="error"} 1');
  });

  it('throws for a record whose messageId is empty rather than report itemIdentifier "", and writes nothing', async () => {
    await expect(
      call(
        sqsEvent(
          sqsRecord('good-1', snsEnvelopeBody(userEventBody('a@x.io'))),
          sqsRecord('', snsEnvelopeBody(userEventBody('not-an-email'))),
        ),
      ),
    ).rejects.toThrow(/1 record\(s\) have no messageId/);
    expect(await emails()).toEqual([]);
  });

  it('writes a direct SNS event, and throws on a poison one so SNS retries it', async () => {
    await expect(call(snsEvent(userEventBody('sns@x.io')))).resolves.toBeUndefined();
    expect(await emails()).toEqual(['sns@x.io']);
    await expect(call(snsEvent('{oops', 'sns-bad'))).rejects.toThrow(/sns-bad: The message body is not JSON/);
  });

  it('answers the migrate action with what it applied', async () => {
    expect(await call({ action: 'migrate' })).toEqual({
      status: 'migrated',
      applied: [],
      latest: '0004_function_roles',
    });
  });

  it('refuses an invocation it does not understand', async () => {
    await expect(call({ hello: 'world' })).rejects.toThrow(/Unsupported invocation/);
  });
});
