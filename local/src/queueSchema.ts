import type { SqlExecutor } from '#shared/store/sqlExecutor.ts';

/**
 * The local queues live in the database the pipeline feeds, so a message is on disk before the API
 * answers 202. This table belongs to the local runtime, not to the application's migrations: it is
 * created here at `npm start`, and `npm run migrate` never puts it in an AWS database.
 * Times are epoch milliseconds from the runtime's clock (tests drive it), as SQS reports them.
 * Change it only additively (ADD COLUMN IF NOT EXISTS): existing data folders keep their table.
 */
const QUEUE_SCHEMA_SQL = `
CREATE SEQUENCE IF NOT EXISTS local_queue_message_seq;
CREATE TABLE IF NOT EXISTS local_queue_messages (
  message_id uuid PRIMARY KEY,
  queue text NOT NULL,
  -- Best-effort send order, as in a standard SQS queue; a redrive puts a message at the back.
  seq bigint NOT NULL DEFAULT nextval('local_queue_message_seq'),
  body text NOT NULL,
  md5_of_body text NOT NULL,
  attributes jsonb NOT NULL DEFAULT '{}',
  sent_at bigint NOT NULL,
  receive_count integer NOT NULL DEFAULT 0,
  first_received_at bigint,
  visible_at bigint NOT NULL DEFAULT 0,
  -- Each receive writes a new handle; only the latest one deletes.
  receipt_handle text,
  last_error text,
  dead_lettered_at bigint,
  source_queue_arn text
) WITH (fillfactor = 70);
-- The only index besides the key: a claim walks it in send order. Receives change no indexed
-- column, so their updates can stay on the page (HOT) where the fill factor leaves room.
CREATE INDEX IF NOT EXISTS local_queue_messages_by_order ON local_queue_messages (queue, seq);
`;

/** Any fixed key; it only has to differ from the migrations' one. */
const QUEUE_SCHEMA_LOCK_KEY = 7_142_316_002;

/** Creates the queue table if it is missing; safe to run at every start, and from two processes at once. */
const ensureQueueSchema = (db: SqlExecutor): Promise<void> =>
  db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [QUEUE_SCHEMA_LOCK_KEY]);
    await tx.exec(QUEUE_SCHEMA_SQL);
  });

export { ensureQueueSchema };
