import { createUsers } from './0001_create_users.ts';
import { eventIdCollateC } from './0002_event_id_collate_c.ts';
import { createIdempotencyKeys } from './0003_create_idempotency_keys.ts';
import { functionRoles } from './0004_function_roles.ts';
import type { Migration } from './migration.ts';

/** Every migration, in order. Kept as TypeScript so the Lambda bundle carries them. */
const migrations: readonly Migration[] = [createUsers, eventIdCollateC, createIdempotencyKeys, functionRoles];

export { migrations };
