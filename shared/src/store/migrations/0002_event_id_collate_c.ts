import type { Migration } from './migration.ts';

/**
 * Event ids compare by byte ("C"), as the subscriber compares them in JS, whatever the database's
 * default collation (en_US on Aurora sorts 'a-1' before 'B-1'; JS and "C" sort it after). Changing
 * only the collation of a column without an index does not rewrite the table.
 */
const eventIdCollateC: Migration = {
  id: '0002_event_id_collate_c',
  sql: `
ALTER TABLE users ALTER COLUMN last_event_id TYPE text COLLATE "C";
`,
};

export { eventIdCollateC };
