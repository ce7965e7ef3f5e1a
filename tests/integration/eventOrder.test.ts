import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ingestUserEvents } from '#shared/domain/ingestUserEvents.ts';
import { userEventAttributes } from '#shared/domain/userEvent.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { openIcuDatabase } from '../support/icuDatabase.ts';
import { describeEachBackend, describeOn, postgresql, type TestDatabase } from '../support/testDatabase.ts';

/**
 * One order for events to one email, whatever the batching: the greatest (occurredAt to the
 * microsecond, eventId by code unit) wins. Within a batch the use case picks the newest in JS;
 * across batches the upsert compares in SQL. Both must agree with this oracle on every backend,
 * including a database whose default collation is not "C".
 */

const NUM_RUNS = 300;
const SEED = 20_260_102;

interface Spec {
  email: string;
  /** Microseconds after 2026-01-01T00:00:00Z: a few milliseconds, so ties at the millisecond are common. */
  micros: number;
  eventId: string;
  /** How occurredAt is spelled: the same instant may arrive in several forms. */
  form: 'micro' | 'milli' | 'offset';
}

const BASE = Date.UTC(2026, 0, 1);
const pad = (n: number, width: number) => String(n).padStart(width, '0');

const spell = ({ micros, form }: Spec): string => {
  const ms = Math.floor(micros / 1000);
  const us = micros % 1000;
  if (form === 'milli' && us === 0) return new Date(BASE + ms).toISOString();
  if (form === 'offset') {
    // The same instant written one hour ahead, with a trimmed fraction: 01:00:00.0012+01:00.
    const local = new Date(BASE + ms + 3_600_000).toISOString().slice(0, 19);
    const fraction = `${pad(ms % 1000, 3)}${pad(us, 3)}`.replace(/0+$/, '');
    return `${local}${fraction ? `.${fraction}` : ''}+01:00`;
  }
  return `${new Date(BASE + ms).toISOString().slice(0, 23)}${pad(us, 3)}Z`;
};

const spec: fc.Arbitrary<Spec> = fc.record({
  email: fc.constantFrom('a@x.io', 'b@x.io', 'c@x.io'),
  micros: fc
    .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 }))
    .map(([ms, us]) => ms * 1000 + us),
  eventId: fc.constantFrom('a-1', 'B-1', 'b-1', 'A-1', 'a-10', 'a-2', 'Z', '_', '~', 'a'),
  form: fc.constantFrom('micro', 'milli', 'offset'),
});

/** A set of distinct events, an arrival order, and where the batches break. */
const scenario = fc
  .uniqueArray(spec, { minLength: 1, maxLength: 8, selector: (s) => `${s.email}|${s.micros}|${s.eventId}` })
  .chain((specs) =>
    fc.record({
      specs: fc.constant(specs),
      order: fc.shuffledSubarray(
        specs.map((_, i) => i),
        { minLength: specs.length, maxLength: specs.length },
      ),
      breaks: fc.array(fc.boolean(), { minLength: specs.length, maxLength: specs.length }),
    }),
  );

/** The oracle: microseconds first, then event id by code unit (byte order for these ASCII ids). */
const newer = (a: Spec, b: Spec) => (a.micros !== b.micros ? a.micros > b.micros : a.eventId > b.eventId);

/** The same property on a database `open` gives. */
const winnerSuite = (open: () => Promise<TestDatabase>) => {
  let database: TestDatabase;
  let store: SqlUserStore;

  beforeAll(async () => {
    database = await open();
    store = new SqlUserStore(database.db);
  });
  afterAll(() => database.dispose());

  it('is the same for any arrival order and any batching, and matches the rule', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ specs, order, breaks }) => {
        await database.db.exec('DELETE FROM users');
        const messages = order.map((i) => {
          const s = specs[i] as Spec;
          const event = { eventId: s.eventId, occurredAt: spell(s), user: { name: `n${i}`, email: s.email } };
          return { id: `m${i}`, body: JSON.stringify(event), attributes: userEventAttributes() };
        });
        let batch: typeof messages = [];
        for (const [k, message] of messages.entries()) {
          batch.push(message);
          if (breaks[k] || k === messages.length - 1) {
            expect((await ingestUserEvents(store, batch)).failures).toEqual([]);
            batch = [];
          }
        }

        const expected = new Map<string, string>();
        const best = new Map<string, Spec>();
        for (const [i, s] of specs.entries()) {
          const current = best.get(s.email);
          if (current === undefined || newer(s, current)) {
            best.set(s.email, s);
            expected.set(s.email, `n${i}`);
          }
        }
        const { rows } = await database.db.query<{ email: string; name: string }>(
          'SELECT email, name FROM users',
        );
        expect(new Map(rows.map((r) => [r.email, r.name]))).toEqual(expected);
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });
};

describeEachBackend('the winner for an email on $name', (backend) => winnerSuite(() => backend.open()));

// Aurora's default collation is ICU en-US; the server's C.UTF-8 sorts ids differently.
describeOn(postgresql, 'the winner for an email on $name, ICU en-US collation', () =>
  winnerSuite(() => openIcuDatabase(process.env.DATABASE_URL ?? '')),
);
