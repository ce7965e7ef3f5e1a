import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrationRunner } from '#shared/bootstrap/runMigrations.ts';
import type { SubscriberConfig } from '#shared/config/functionConfig.ts';
import type { UserEvent } from '#shared/domain/userEvent.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { migrate } from '#shared/store/migrate.ts';
import { DB_ROLES } from '#shared/store/migrations/0004_function_roles.ts';
import { migrations } from '#shared/store/migrations/index.ts';
import { PgExecutor } from '#shared/store/pg/pgExecutor.ts';
import { PgliteExecutor } from '#shared/store/pglite/pgliteExecutor.ts';
import type { SqlExecutor } from '#shared/store/sqlExecutor.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { describeEachBackend, describeOn, postgresql, type TestDatabase } from '../support/testDatabase.ts';

type Role = (typeof DB_ROLES)[keyof typeof DB_ROLES];

const event = (email: string): UserEvent => ({
  eventId: `e-${email}`,
  occurredAt: '2026-01-01T00:00:00.000Z',
  user: { name: 'Name', email },
});

/** Runs one statement with `role`'s privileges (SET LOCAL ROLE), then rolls back whatever it did. */
const asRole = async (db: SqlExecutor, role: Role, sql: string): Promise<unknown> => {
  const undo = new Error('undo');
  try {
    await db.transaction(async (tx) => {
      await tx.exec(`SET LOCAL ROLE ${role}`);
      await tx.exec(sql);
      throw undo;
    });
  } catch (error) {
    if (error === undo) return undefined;
    return error;
  }
  return undefined;
};

const PERMISSION_DENIED = { code: '42501' };
const POOL = {
  ssl: undefined,
  poolMax: 1,
  statementTimeoutMs: 10_000,
  connectTimeoutMs: 5_000,
  applicationName: 'ingesta-test',
} as const;

describeEachBackend('function roles made by migration 0004 on $name', (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await backend.open();
  });
  afterAll(() => database.dispose());

  it('are login roles without superuser, role or database creation', async () => {
    const { rows } = await database.db.query<Record<string, unknown>>(
      `SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolreplication
         FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname`,
      [[DB_ROLES.api, DB_ROLES.subscriber]],
    );
    expect(rows).toEqual(
      [DB_ROLES.api, DB_ROLES.subscriber].map((rolname) => ({
        rolname,
        rolcanlogin: true,
        rolsuper: false,
        rolcreaterole: false,
        rolcreatedb: false,
        rolreplication: false,
      })),
    );
  });

  it("the API's role reads users and cannot write them", async () => {
    expect(await asRole(database.db, DB_ROLES.api, 'SELECT count(*) FROM users')).toBeUndefined();
    for (const write of [
      "INSERT INTO users (name, email, last_event_id, last_event_at) VALUES ('A', 'a@x.io', 'e', now())",
      "UPDATE users SET name = 'B'",
      'DELETE FROM users',
      'TRUNCATE users',
    ]) {
      const error = await asRole(database.db, DB_ROLES.api, write);
      expect(error, write).toMatchObject(PERMISSION_DENIED);
      expect(String(error), write).toMatch(/permission denied for table users/);
    }
  });

  it("the subscriber's role inserts and updates users, and cannot delete, truncate or drop them", async () => {
    const insert =
      "INSERT INTO users (name, email, last_event_id, last_event_at) VALUES ('A', 'role@x.io', 'e', now())";
    expect(await asRole(database.db, DB_ROLES.subscriber, insert)).toBeUndefined();
    expect(
      await asRole(database.db, DB_ROLES.subscriber, "UPDATE users SET name = 'B' WHERE email = 'x'"),
    ).toBeUndefined();
    for (const statement of ['DELETE FROM users', 'TRUNCATE users']) {
      expect(await asRole(database.db, DB_ROLES.subscriber, statement), statement).toMatchObject(
        PERMISSION_DENIED,
      );
    }
    const drop = await asRole(database.db, DB_ROLES.subscriber, 'DROP TABLE users');
    expect(drop).toMatchObject(PERMISSION_DENIED);
    expect(String(drop)).toMatch(/must be owner of table users/);
  });

  it.each([DB_ROLES.api, DB_ROLES.subscriber])(
    '%s can neither create tables nor read the migration ledger',
    async (role) => {
      expect(await asRole(database.db, role, 'CREATE TABLE mine (id int)')).toMatchObject(PERMISSION_DENIED);
      expect(await asRole(database.db, role, 'SELECT * FROM schema_migrations')).toMatchObject(
        PERMISSION_DENIED,
      );
      expect(await asRole(database.db, role, 'ALTER TABLE users ADD COLUMN x int')).toMatchObject(
        PERMISSION_DENIED,
      );
    },
  );
});

// A fresh PGlite stands in for Aurora, whose rds_iam role exists before any migration runs.
describe('migration 0004 where rds_iam exists (PGlite standing in for Aurora)', () => {
  it('makes both function roles members of rds_iam, so they log in with IAM tokens', async () => {
    const db = new PgliteExecutor(await PGlite.create());
    try {
      await db.exec('CREATE ROLE rds_iam');
      await migrate(db, migrations);
      const { rows } = await db.query<{ member: boolean }>(
        `SELECT pg_has_role(r, 'rds_iam', 'MEMBER') AS member FROM unnest($1::text[]) AS r`,
        [[DB_ROLES.api, DB_ROLES.subscriber]],
      );
      expect(rows).toEqual([{ member: true }, { member: true }]);
    } finally {
      await db.close();
    }
  });
});

/** The same URL, with every session running as `role` (its privileges, not the login user's). */
const urlAs = (url: string, role: Role): string => {
  const next = new URL(url);
  next.searchParams.set('options', `${next.searchParams.get('options') ?? ''} -c role=${role}`.trim());
  return next.toString();
};

// The real store code over real connections whose sessions hold only each function's privileges.
describeOn(postgresql, 'the store over connections as each function role on $name', (backend) => {
  let database: TestDatabase & { url: string };
  let api: PgExecutor;
  let subscriber: PgExecutor;

  beforeAll(async () => {
    database = await backend.open();
    api = new PgExecutor(new pg.Pool({ connectionString: urlAs(database.url, DB_ROLES.api), max: 2 }));
    subscriber = new PgExecutor(
      new pg.Pool({ connectionString: urlAs(database.url, DB_ROLES.subscriber), max: 2 }),
    );
  });
  afterAll(async () => {
    await api.close();
    await subscriber.close();
    await database.dispose();
  });
  beforeEach(async () => {
    await database.db.exec('TRUNCATE users RESTART IDENTITY');
  });

  it('sessions really run as the role', async () => {
    expect((await api.query('SELECT current_user AS who')).rows).toEqual([{ who: DB_ROLES.api }]);
    expect((await subscriber.query('SELECT current_user AS who')).rows).toEqual([
      { who: DB_ROLES.subscriber },
    ]);
  });

  it("the subscriber's grants are enough for its upserts (the id sequence included)", async () => {
    const store = new SqlUserStore(subscriber);
    expect((await store.upsertUsers([event('a@x.io'), event('b@x.io')])).written).toBe(2);
    expect(
      (await store.upsertUsers([{ ...event('a@x.io'), occurredAt: '2026-01-02T00:00:00.000Z' }])).written,
    ).toBe(1);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it("the API's grants are enough for its reads, and its writes are refused", async () => {
    await new SqlUserStore(subscriber).upsertUsers([event('a@x.io')]);
    const store = new SqlUserStore(api);
    expect((await store.listUsers({ afterId: null, limit: 10 })).items.map((u) => u.email)).toEqual([
      'a@x.io',
    ]);
    expect((await store.getUser('1'))?.email).toBe('a@x.io');
    await expect(store.upsertUsers([event('b@x.io')])).rejects.toMatchObject(PERMISSION_DENIED);
  });

  it("the subscriber's role cannot drop users", async () => {
    await expect(subscriber.exec('DROP TABLE users')).rejects.toThrow(/must be owner of table users/);
  });
});

describeOn(postgresql, "migrations under the subscriber's role on $name", (backend) => {
  let database: TestDatabase & { url: string };
  let asSubscriber: PgExecutor;

  beforeAll(async () => {
    // The roles are server-wide: a first migrated schema makes sure they exist on a fresh server.
    await (await backend.open()).dispose();
    database = await backend.open({ migrated: false });
    asSubscriber = new PgExecutor(
      new pg.Pool({ connectionString: urlAs(database.url, DB_ROLES.subscriber), max: 1 }),
    );
  });
  afterAll(async () => {
    await asSubscriber.close();
    await database.dispose();
  });

  it('run as the master user on a connection of their own, which the function role could not do', async () => {
    // The role has no rights on a schema it was never granted (in public: permission denied).
    await expect(migrate(asSubscriber, migrations)).rejects.toThrow(
      /no schema has been selected to create in|permission denied for schema/,
    );

    const config: SubscriberConfig = {
      database: { kind: 'url', url: urlAs(database.url, DB_ROLES.subscriber), ...POOL },
      migrator: { kind: 'url', url: database.url, ...POOL },
      logLevel: 'SILENT',
      serviceName: 'ingesta-suscriptor',
      version: undefined,
    };
    const report = await migrationRunner(config, asSubscriber, createLogger('test', 'SILENT'))();

    expect(report.applied).toEqual(migrations.map((m) => m.id));
    const { rows } = await database.db.query<{ owner: string }>(
      "SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'users' AND schemaname = current_schema()",
    );
    expect(rows).toEqual([{ owner: new URL(database.url).username }]);
  });
});
