import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { RowRejectedError } from '#shared/domain/errors.ts';
import type { UserEvent } from '#shared/domain/userEvent.ts';
import { migrate } from '#shared/store/migrate.ts';
import { migrations } from '#shared/store/migrations/index.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { describeEachBackend, type TestDatabase } from '../support/testDatabase.ts';

const event = (
  email: string,
  occurredAt: string,
  name = 'Name',
  eventId = `e-${email}-${occurredAt}`,
): UserEvent => ({
  eventId,
  occurredAt,
  user: { name, email },
});

describeEachBackend('SqlUserStore on $name', (backend) => {
  let database: TestDatabase;
  let store: SqlUserStore;

  beforeAll(async () => {
    database = await backend.open();
    store = new SqlUserStore(database.db);
  });
  afterAll(() => database.dispose());
  beforeEach(async () => {
    await database.db.exec('TRUNCATE users RESTART IDENTITY');
  });

  it('inserts a batch in one statement and reads it back', async () => {
    const outcome = await store.upsertUsers([
      event('a@x.io', '2026-01-01T00:00:00.000Z', 'A'),
      event('b@x.io', '2026-01-01T00:00:00.000Z', 'B'),
    ]);
    expect(outcome.written).toBe(2);
    const page = await store.listUsers({ afterId: null, limit: 10 });
    expect(page.items.map((u) => [u.id, u.name, u.email])).toEqual([
      ['1', 'A', 'a@x.io'],
      ['2', 'B', 'b@x.io'],
    ]);
    expect(page.items[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('redelivering the same event changes nothing', async () => {
    const e = event('a@x.io', '2026-01-01T00:00:00.000Z', 'First');
    await store.upsertUsers([e]);
    const before = await store.getUser('1');
    expect((await store.upsertUsers([e])).written).toBe(0);
    expect(await store.getUser('1')).toEqual(before);
  });

  it('a newer event overwrites, an older one never does', async () => {
    await store.upsertUsers([event('a@x.io', '2026-01-02T00:00:00.000Z', 'Jan 2')]);
    expect((await store.upsertUsers([event('a@x.io', '2026-01-01T00:00:00.000Z', 'Jan 1')])).written).toBe(0);
    expect((await store.getUser('1'))?.name).toBe('Jan 2');
    expect((await store.upsertUsers([event('a@x.io', '2026-01-03T00:00:00.000Z', 'Jan 3')])).written).toBe(1);
    const user = await store.getUser('1');
    expect(user?.name).toBe('Jan 3');
    expect(Date.parse(user?.updatedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(user?.createdAt ?? ''));
  });

  it('breaks a timestamp tie by event id, whatever the arrival order', async () => {
    const at = '2026-01-01T00:00:00.000Z';
    await store.upsertUsers([event('a@x.io', at, 'from b', 'b')]);
    await store.upsertUsers([event('a@x.io', at, 'from a', 'a')]);
    expect((await store.getUser('1'))?.name).toBe('from b');
  });

  it('pages with a keyset: stable order, no gaps, no repeats', async () => {
    await store.upsertUsers(
      Array.from({ length: 25 }, (_, i) => event(`u${i}@x.io`, '2026-01-01T00:00:00.000Z', `U${i}`)),
    );
    const seen: string[] = [];
    let afterId: string | null = null;
    for (;;) {
      const page = await store.listUsers({ afterId, limit: 7 });
      seen.push(...page.items.map((u) => u.id));
      if (!page.hasMore) break;
      afterId = page.lastId;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => String(i + 1)));
  });

  it('answers null for a missing user', async () => {
    expect(await store.getUser('999')).toBeNull();
  });

  it('refuses a row that breaks a constraint as a row error, leaving the table untouched', async () => {
    const error = await store
      .upsertUsers([event('a@x.io', '2026-01-01T00:00:00.000Z', 'x'.repeat(201))])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RowRejectedError);
    expect((error as RowRejectedError).code).toBe('23514');
    expect((await store.listUsers({ afterId: null, limit: 10 })).items).toHaveLength(0);
  });

  it('pings the database', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('migrations are idempotent and report what they applied', async () => {
    expect(await migrate(database.db, migrations)).toEqual({
      applied: [],
      latest: '0004_function_roles',
    });
  });
});

describeEachBackend('migrate on $name', (backend) => {
  it('applies every migration once on an empty database and refuses an unknown one', async () => {
    const database = await backend.open({ migrated: false });
    try {
      expect(await migrate(database.db, migrations)).toEqual({
        applied: [
          '0001_create_users',
          '0002_event_id_collate_c',
          '0003_create_idempotency_keys',
          '0004_function_roles',
        ],
        latest: '0004_function_roles',
      });
      await database.db.query("INSERT INTO schema_migrations (id) VALUES ('9999_from_the_future')");
      await expect(migrate(database.db, migrations)).rejects.toThrow(/does not know: 9999_from_the_future/);
    } finally {
      await database.dispose();
    }
  });
});
