import { createUsers } from './0001_create_users.ts';
import { createIdempotencyKeys } from './0003_create_idempotency_keys.ts';
import type { Migration } from './migration.ts';

/** Every migration, in order. Kept as TypeScript so the Lambda bundle carries them. */
const migrations: readonly Migration[] = [createUsers, createIdempotencyKeys];

export { migrations };
