import { createUsers } from './0001_create_users.ts';
import type { Migration } from './migration.ts';

/** Every migration, in order. Kept as TypeScript so the Lambda bundle carries them. */
const migrations: readonly Migration[] = [createUsers];

export { migrations };
