import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeOn, postgresql } from '../support/testDatabase.ts';

const run = promisify(execFile);

const migrateWith = (env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], {
    env: { PATH: process.env.PATH, ...env },
  });

describe('npm run migrate', () => {
  it('explains what is missing when no database is configured', async () => {
    const error = await migrateWith({}).catch((e: { stderr: string; code: number }) => e);
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr).toContain(
      'DATABASE_URL: set DATABASE_URL, or DB_SECRET_ARN with DB_HOST',
    );
  });
});

// The script opens its own connection from a URL, so only a PostgreSQL server will do.
describeOn(postgresql, 'npm run migrate on $name', (backend) => {
  it('applies pending migrations once, then reports nothing to apply', async () => {
    const database = await backend.open({ migrated: false });
    try {
      const env = { DATABASE_URL: database.url };
      const first = await migrateWith(env);
      expect(first.stdout.trim()).toBe(
        'Applied 0001_create_users, 0002_event_id_collate_c, 0003_create_idempotency_keys, 0004_function_roles. Latest: 0004_function_roles.',
      );
      const second = await migrateWith(env);
      expect(second.stdout.trim()).toBe('Nothing to apply. Latest: 0004_function_roles.');
    } finally {
      await database.dispose();
    }
  });
});
