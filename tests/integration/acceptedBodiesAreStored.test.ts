import fc from 'fast-check';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ApiHandler, createApiHandler } from '#api/createApiHandler.ts';
import { createLambdaContext } from '#local/lambdaContext.ts';
import { DEFAULT_IDEMPOTENCY_POLICY } from '#shared/domain/idempotency.ts';
import { ingestUserEvents } from '#shared/domain/ingestUserEvents.ts';
import type { UserEventPublisher } from '#shared/domain/ports.ts';
import { parseNewUser } from '#shared/domain/user.ts';
import { type UserEvent, userEventAttributes } from '#shared/domain/userEvent.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import { SqlIdempotencyStore } from '#shared/store/sqlIdempotencyStore.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { functionUrlRequest } from '../support/functionUrlRequest.ts';
import { describeEachBackend, type TestDatabase } from '../support/testDatabase.ts';
import { userBodies } from '../support/userBodies.ts';

/**
 * The rule: anything the API accepts, the subscriber can store, unaltered. Bodies are arbitrary
 * Unicode (astral characters, lone surrogates, control characters, JSON and array-literal
 * metacharacters); each accepted one goes through the real subscriber use case and must be stored
 * exactly as the API normalised it.
 */

const NUM_RUNS = 300;
const SEED = 20_260_101;

const codeUnitOrder = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

describeEachBackend('every body the API accepts is stored unaltered on $name', (backend) => {
  let database: TestDatabase;
  let store: SqlUserStore;
  let handler: ApiHandler;
  const published: UserEvent[] = [];

  beforeAll(async () => {
    database = await backend.open();
    store = new SqlUserStore(database.db);
    const publisher: UserEventPublisher = {
      publish: async (event) => {
        published.push(event);
        return { messageId: `m-${published.length}` };
      },
    };
    handler = createApiHandler({
      store,
      publisher,
      idempotency: { store: new SqlIdempotencyStore(database.db), policy: DEFAULT_IDEMPOTENCY_POLICY },
      logger: createLogger('ingesta-api', 'SILENT'),
      metrics: new PrometheusPipelineMetrics(new Registry()),
      version: 'test',
    });
  });
  afterAll(() => database.dispose());

  it('API → subscriber → database keeps every accepted field exactly', async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(userBodies, async (users) => {
        await database.db.exec('DELETE FROM users');
        published.length = 0;
        for (const user of users) {
          const response = await handler(
            functionUrlRequest('POST', '/users', { body: JSON.stringify(user) }),
            createLambdaContext('ingesta-api'),
          );
          // Accepted or refused as the client's fault; never a server error.
          expect([202, 400], response.body).toContain(response.statusCode);
          if (response.statusCode === 400) refused += 1;
        }
        accepted += published.length;
        const result = await ingestUserEvents(
          store,
          published.map((event, i) => ({
            id: `m-${i}`,
            body: JSON.stringify(event),
            attributes: userEventAttributes(),
          })),
        );
        expect(result.failures).toEqual([]);
        const { rows } = await database.db.query<{ email: string; name: string }>(
          'SELECT email, name FROM users',
        );
        const stored = rows.map((r): [string, string] => [r.email, r.name]).sort(codeUnitOrder);
        const expected = published
          .map((e): [string, string] => [e.user.email, e.user.name])
          .sort(codeUnitOrder);
        expect(stored).toEqual(expected);
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
    // The property says something only if many bodies got through and many did not.
    expect(accepted).toBeGreaterThan(NUM_RUNS / 2);
    expect(refused).toBeGreaterThan(NUM_RUNS / 10);
  });
  it('every accepted email is already lower-case under each collation the server has', async () => {
    // The DB checks email = lower(email) in its default collation, which differs between servers
    // (Aurora: en_US). Only an email JS and every collation lower-case alike is safe everywhere.
    const emails = fc
      .sample(userBodies, { numRuns: NUM_RUNS, seed: SEED })
      .flat()
      .flatMap((body) => {
        try {
          return [parseNewUser(body).email];
        } catch {
          return [];
        }
      });
    expect(emails.length).toBeGreaterThan(NUM_RUNS / 2);
    const { rows: collations } = await database.db.query<{ name: string }>(
      `SELECT collname AS name FROM pg_collation
       WHERE collencoding IN (-1, pg_char_to_encoding('UTF8')) AND collisdeterministic`,
    );
    const refusing: string[] = [];
    for (const { name } of collations) {
      const { rows } = await database.db.query<{ email: string }>(
        `SELECT e AS email FROM unnest($1::text[]) AS e WHERE e <> lower(e COLLATE "${name.replaceAll('"', '""')}")`,
        [emails],
      );
      refusing.push(...rows.map((r) => `${name}: ${r.email}`));
    }
    expect(refusing).toEqual([]);
  });
});
