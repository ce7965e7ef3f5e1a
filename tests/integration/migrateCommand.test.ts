import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSchema } from '../support/testDatabase.ts';

const run = promisify(execFile);
const databaseUrl = process.env.DATABASE_URL || undefined;

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

// Needs a PostgreSQL server: runs when DATABASE_URL is set (the second CI pass).
describe.each(databaseUrl ? [databaseUrl] : [])('npm run migrate on %s', (url) => {
  it('applies pending migrations once, then reports nothing to apply', async () => {
    const schema = await createSchema(url);
    try {
      const first = await migrateWith({ DATABASE_URL: schema.url });
      expect(first.stdout.trim()).toBe(
        'Applied 0001_create_users, 0003_create_idempotency_keys. Latest: 0003_create_idempotency_keys.',
      );
      const second = await migrateWith({ DATABASE_URL: schema.url });
      expect(second.stdout.trim()).toBe('Nothing to apply. Latest: 0003_create_idempotency_keys.');
    } finally {
      await schema.drop();
    }
  });
});
