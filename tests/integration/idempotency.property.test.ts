import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IdempotencyKeyInFlightError, IdempotencyKeyReusedError } from '#shared/domain/errors.ts';
import {
  DEFAULT_IDEMPOTENCY_POLICY,
  type IdempotentOutcome,
  requestFingerprint,
  runOnce,
} from '#shared/domain/idempotency.ts';
import type { StoredResponse } from '#shared/domain/ports.ts';
import { SqlIdempotencyStore } from '#shared/store/sqlIdempotencyStore.ts';
import { describeEachBackend, type TestDatabase } from '../support/testDatabase.ts';

/** One request: a key, one of a few bodies, and whether its publish fails. */
interface Request {
  key: string;
  body: number;
  fails: boolean;
}

type Answer = { request: Request; outcome: IdempotentOutcome } | { request: Request; error: unknown };

const requestArb = fc.record({
  key: fc.constantFrom('k0', 'k1', 'k2'),
  body: fc.constantFrom(0, 1, 2),
  fails: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
});

const PUBLISH_FAILED = new Error('publish failed');

/**
 * Runs groups of requests: the requests of a group at once (racing in the database), the groups one
 * after another. Records every event "published" and every answer.
 */
const runScenario = async (store: SqlIdempotencyStore, groups: Request[][]) => {
  const scope = randomUUID();
  const published: { key: string; body: number; response: StoredResponse }[] = [];
  const answers: Answer[] = [];
  for (const group of groups) {
    const settled = await Promise.all(
      group.map((request) =>
        runOnce(
          { store, policy: DEFAULT_IDEMPOTENCY_POLICY },
          { scope, key: request.key, fingerprint: requestFingerprint({ body: request.body }) },
          async () => {
            if (request.fails) throw PUBLISH_FAILED;
            const response = { status: 202, body: { eventId: request.key, messageId: randomUUID() } };
            published.push({ key: request.key, body: request.body, response });
            return response;
          },
        ).then(
          (outcome): Answer => ({ request, outcome }),
          (error: unknown): Answer => ({ request, error }),
        ),
      ),
    );
    answers.push(...settled);
  }
  return { published, answers };
};

describeEachBackend('Idempotency-Key properties on $name', (backend) => {
  let database: TestDatabase;
  let store: SqlIdempotencyStore;

  beforeAll(async () => {
    database = await backend.open();
    store = new SqlIdempotencyStore(database.db);
  });
  afterAll(() => database.dispose());

  it('one request at a time: exactly one event per key, with the first body that published; same body replays, another is 422', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(requestArb, { minLength: 1, maxLength: 12 }), async (requests) => {
        const { published, answers } = await runScenario(
          store,
          requests.map((r) => [r]),
        );
        for (const key of new Set(requests.map((r) => r.key))) {
          const mine = answers.filter((a) => a.request.key === key);
          const firstOk = mine.find((a) => !a.request.fails);
          const events = published.filter((p) => p.key === key);
          // Before the first publish that works, each failure leaves the key free.
          for (const answer of mine.slice(0, firstOk === undefined ? mine.length : mine.indexOf(firstOk))) {
            expect('error' in answer && answer.error).toBe(PUBLISH_FAILED);
          }
          if (firstOk === undefined) {
            expect(events).toEqual([]);
            continue;
          }
          expect(events.map((e) => e.body)).toEqual([firstOk.request.body]);
          for (const answer of mine.slice(mine.indexOf(firstOk))) {
            if (answer === firstOk) expect(answer).toMatchObject({ outcome: { replayed: false } });
            else if (answer.request.body === firstOk.request.body) {
              expect(answer).toMatchObject({ outcome: { replayed: true, response: events[0]?.response } });
            } else expect('error' in answer && answer.error).toBeInstanceOf(IdempotencyKeyReusedError);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('racing requests: never two events for one key, and every 202 of a key is that event', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(requestArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }),
        async (groups) => {
          const { published, answers } = await runScenario(store, groups);
          const allSucceed = groups.flat().every((r) => !r.fails);
          for (const key of new Set(groups.flat().map((r) => r.key))) {
            const events = published.filter((p) => p.key === key);
            expect(events.length).toBeLessThanOrEqual(1);
            // With no failure at all, the key's first claim published: exactly one event.
            if (allSucceed) expect(events).toHaveLength(1);
            for (const answer of answers.filter((a) => a.request.key === key)) {
              if ('outcome' in answer) {
                expect(answer.outcome.response).toEqual(events[0]?.response);
                expect(answer.request.body).toBe(events[0]?.body);
              } else {
                expect(
                  answer.error === PUBLISH_FAILED ||
                    answer.error instanceof IdempotencyKeyInFlightError ||
                    answer.error instanceof IdempotencyKeyReusedError,
                ).toBe(true);
              }
            }
            expect(
              answers.filter((a) => a.request.key === key && 'outcome' in a && !a.outcome.replayed),
            ).toHaveLength(events.length);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
