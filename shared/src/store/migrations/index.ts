import { createUsers } from './0001_create_users.ts';
import { eventIdCollateC } from './0002_event_id_collate_c.ts';
import { functionRoles } from './0004_function_roles.ts';
import type { Migration } from './migration.ts';

/**
 * Every migration, in order. Kept as TypeScript so the Lambda bundle carries them. 0003 is the API's
 * idempotency_keys (on its own branch); 0004 grants it to the API's role when it exists.
 */
const migrations: readonly Migration[] = [createUsers, eventIdCollateC, functionRoles];

export { migrations };
