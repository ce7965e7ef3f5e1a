import { describe, expect, it } from 'vitest';
import { DB_ROLES } from '#shared/store/migrations/0004_function_roles.ts';
import { loadPipeline } from './support/fixtures.ts';

describe('database users', () => {
  it('Terraform grants rds-db:connect to exactly the roles migration 0004 creates', async () => {
    const pipeline = await loadPipeline();

    expect(pipeline.locals.get('db_users')?.value).toEqual({
      api: DB_ROLES.api,
      subscriber: DB_ROLES.subscriber,
    });
  });
});
