import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SqlExecutor } from '#shared/store/sqlExecutor.ts';
import { QueueFullError } from './localErrors.ts';
import { assertMessageFits } from './messageSize.ts';

/** An SQS message attribute: `String`, `Number` or `Binary` (base64 here), with an optional custom suffix. */
interface MessageAttribute {
  dataType: string;
  stringValue?: string;
  binaryValue?: string;
}

interface QueueMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  attributes: Record<string, MessageAttribute>;
  sentTimestamp: number;
  receiveCount: number;
  firstReceiveTimestamp: number | null;
  /** Epoch ms when the message becomes receivable again. */
  visibleAt: number;
  /** Only the latest receive's handle can delete the message, as in SQS. */
  receiptHandle: string | null;
  lastError: string | null;
  /** Set when the message was moved to a dead-letter queue. */
  deadLetteredAt: number | null;
  sourceQueueArn: string | null;
}

interface ReceivedMessage {
  message: Readonly<QueueMessage>;
  receiptHandle: string;
}

interface RedrivePolicy {
  deadLetterQueue: LocalQueue;
  maxReceiveCount: number;
}

interface LocalQueueOptions {
  name: string;
  region?: string;
  accountId?: string;
  visibilityTimeoutMs: number;
  /** Bound on stored messages; a full queue refuses sends instead of growing without limit. */
  maxMessages?: number;
  redrive?: RedrivePolicy;
  now?: () => number;
}

interface QueueStats {
  name: string;
  visible: number;
  inFlight: number;
  total: number;
}

interface PendingSend {
  messageId: string;
  body: string;
  md5OfBody: string;
  attributes: string;
  sentAt: number;
  done(error?: unknown): void;
}

interface MessageError {
  messageId: string;
  error: string;
}

/** bigint columns: node-postgres returns a string, PGlite a number. */
const Millis = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);

const RowSchema = z.object({
  message_id: z.string(),
  seq: Millis,
  body: z.string(),
  md5_of_body: z.string(),
  attributes: z.record(
    z.string(),
    z.union([z.string(), z.object({ t: z.string(), s: z.string().optional(), b: z.string().optional() })]),
  ),
  sent_at: Millis,
  receive_count: z.number().int(),
  first_received_at: Millis.nullable(),
  visible_at: Millis,
  receipt_handle: z.string().nullable(),
  last_error: z.string().nullable(),
  dead_lettered_at: Millis.nullable(),
  source_queue_arn: z.string().nullable(),
});

const DeadLetteredSchema = z.object({ dead_lettered: z.number().int() });
const CountsSchema = z.object({ total: z.number().int(), in_flight: z.number().int() });
const NextSchema = z.object({ next: Millis.nullable() });

const toMessage = (row: unknown): QueueMessage & { seq: number } => {
  const r = RowSchema.parse(row);
  return {
    seq: r.seq,
    messageId: r.message_id,
    body: r.body,
    md5OfBody: r.md5_of_body,
    attributes: Object.fromEntries(
      Object.entries(r.attributes).map(([k, v]) => [
        k,
        typeof v === 'string' ? { dataType: 'String', stringValue: v } : fromStored(v),
      ]),
    ),
    sentTimestamp: r.sent_at,
    receiveCount: r.receive_count,
    firstReceiveTimestamp: r.first_received_at,
    visibleAt: r.visible_at,
    receiptHandle: r.receipt_handle,
    lastError: r.last_error,
    deadLetteredAt: r.dead_lettered_at,
    sourceQueueArn: r.source_queue_arn,
  };
};

/** A plain `String` attribute is stored as its value; any other as `{ t: type, s | b: value }`. */
type StoredAttribute = string | { t: string; s?: string; b?: string };

const toStored = (a: MessageAttribute): StoredAttribute =>
  a.dataType === 'String' && a.stringValue !== undefined
    ? a.stringValue
    : {
        t: a.dataType,
        ...(a.stringValue !== undefined && { s: a.stringValue }),
        ...(a.binaryValue !== undefined && { b: a.binaryValue }),
      };

const fromStored = (v: { t: string; s?: string | undefined; b?: string | undefined }): MessageAttribute => ({
  dataType: v.t,
  ...(v.s !== undefined && { stringValue: v.s }),
  ...(v.b !== undefined && { binaryValue: v.b }),
});

const withoutSeq = ({ seq: _seq, ...message }: QueueMessage & { seq: number }): QueueMessage => message;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A receipt handle names its message (as SQS's opaque ones do), so a delete is a primary-key lookup. */
const messageIdOf = (receiptHandle: string): string | null => {
  const id = receiptHandle.slice(0, 36);
  return UUID.test(id) && receiptHandle[36] === ':' ? id : null;
};

const NO_REDRIVE = 2_147_483_647;
const MAX_ERROR_CHARS = 2_000;

const COLUMNS = `message_id, seq, body, md5_of_body, attributes, sent_at, receive_count, first_received_at,
  visible_at, receipt_handle, last_error, dead_lettered_at, source_queue_arn`;

/** Every send waiting when the previous INSERT ends goes in the next one, in send order. */
const SEND_SQL = `
INSERT INTO local_queue_messages (message_id, queue, body, md5_of_body, attributes, sent_at)
SELECT t.message_id, $1, t.body, t.md5_of_body, t.attributes::jsonb, t.sent_at
FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::bigint[])
  WITH ORDINALITY AS t(message_id, body, md5_of_body, attributes, sent_at, n)
ORDER BY t.n`;

/** Rows per INSERT at most, to keep one statement's parameters moderate. */
const MAX_SEND_GROUP = 500;

/**
 * One statement per receive: claims up to a batch of visible messages in send order, skipping rows
 * another claim holds, and moves those a receive would push past maxReceiveCount to the DLQ (as SQS
 * does), as many as the DLQ has room for ($6); with no room they are left where they are.
 * Always one row at least: dead_lettered, then the claimed message's columns (null when none).
 */
const RECEIVE_SQL = `
WITH picked AS (
  SELECT message_id, receive_count >= $4::int AS due
  FROM local_queue_messages
  WHERE queue = $1 AND visible_at <= $2::bigint AND (receive_count < $4::int OR $6::int > 0)
  ORDER BY seq
  LIMIT $5::int
  FOR UPDATE SKIP LOCKED
),
dead AS (
  UPDATE local_queue_messages AS m
  SET queue = $7, visible_at = 0, receipt_handle = NULL, dead_lettered_at = $2::bigint, source_queue_arn = $8
  FROM (SELECT message_id FROM picked WHERE due LIMIT $6::int) AS d
  WHERE m.message_id = d.message_id
  RETURNING m.message_id
),
claimed AS (
  UPDATE local_queue_messages AS m
  SET receive_count = m.receive_count + 1,
      first_received_at = coalesce(m.first_received_at, $2::bigint),
      visible_at = $2::bigint + $3::bigint,
      receipt_handle = m.message_id::text || ':' || gen_random_uuid()::text
  FROM picked
  WHERE m.message_id = picked.message_id AND NOT picked.due
  RETURNING m.*
)
SELECT (SELECT count(*) FROM dead)::int AS dead_lettered, claimed.*
FROM (SELECT 1) AS one LEFT JOIN claimed ON true`;

const DELETE_SQL = `
DELETE FROM local_queue_messages AS m
USING unnest($2::uuid[], $3::text[]) AS h(message_id, receipt_handle)
WHERE m.queue = $1 AND m.message_id = h.message_id AND m.receipt_handle = h.receipt_handle`;

const CHANGE_VISIBILITY_SQL = `
UPDATE local_queue_messages SET visible_at = $4::bigint
WHERE queue = $1 AND message_id = $2 AND receipt_handle = $3`;

const RECORD_ERRORS_SQL = `
UPDATE local_queue_messages AS m SET last_error = e.error
FROM unnest($2::uuid[], $3::text[]) AS e(message_id, error)
WHERE m.queue = $1 AND m.message_id = e.message_id`;

/** Like StartMessageMoveTask: back to the source, counted afresh, at the back of the queue. */
const REDRIVE_SQL = `
WITH moving AS (
  SELECT message_id FROM local_queue_messages
  WHERE queue = $1
  ORDER BY seq
  LIMIT $3::int
  FOR UPDATE SKIP LOCKED
)
UPDATE local_queue_messages AS m
SET queue = $2, seq = nextval('local_queue_message_seq'), receive_count = 0, visible_at = 0,
    receipt_handle = NULL, dead_lettered_at = NULL, source_queue_arn = NULL
FROM moving
WHERE m.message_id = moving.message_id`;

/**
 * A queue with the SQS semantics the pipeline relies on (visibility timeout, ApproximateReceiveCount,
 * receipt handles, redrive to a DLQ once maxReceiveCount is exceeded), kept in the database the
 * pipeline feeds: a send has committed when it returns, so an acknowledged message survives a crash.
 * Create its table with ensureQueueSchema first.
 */
class LocalQueue {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly visibilityTimeoutMs: number;
  readonly maxMessages: number;
  readonly redrive: RedrivePolicy | undefined;
  readonly #db: SqlExecutor;
  readonly #now: () => number;
  readonly #listeners: ((count: number) => void)[] = [];
  /** Sends waiting for the next INSERT, and whether one is under way. */
  readonly #sends: PendingSend[] = [];
  #flushing = false;
  /**
   * Stored messages plus sends under way. One process owns a queue (`npm start` locks its data), so
   * it keeps the bound in memory and a send stays one INSERT; slots are taken before the await.
   */
  #depth: number;

  private constructor(db: SqlExecutor, options: LocalQueueOptions, depth: number) {
    this.#db = db;
    this.name = options.name;
    this.region = options.region ?? 'us-east-1';
    this.arn = `arn:aws:sqs:${this.region}:${options.accountId ?? '000000000000'}:${options.name}`;
    this.visibilityTimeoutMs = options.visibilityTimeoutMs;
    this.maxMessages = options.maxMessages ?? 100_000;
    this.redrive = options.redrive;
    this.#now = options.now ?? Date.now;
    this.#depth = depth;
  }

  /** Opens the named queue over its stored messages (none the first time). */
  static async open(db: SqlExecutor, options: LocalQueueOptions): Promise<LocalQueue> {
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM local_queue_messages WHERE queue = $1',
      [options.name],
    );
    return new LocalQueue(db, options, rows[0]?.n ?? 0);
  }

  /**
   * Stores the message; it is durable once this resolves. Sends made while an INSERT is under way
   * share the next one (group commit): one statement and one commit for a burst.
   */
  async send(body: string, attributes: Record<string, string> = {}): Promise<string> {
    assertMessageFits('SQS', body, attributes);
    return this.#enqueue(body, JSON.stringify(attributes));
  }

  async #enqueue(body: string, attributes: string): Promise<string> {
    if (this.#depth >= this.maxMessages) throw new QueueFullError(this.name, this.maxMessages);
    this.#depth += 1;
    const messageId = randomUUID();
    try {
      await new Promise<void>((resolve, reject) => {
        this.#sends.push({
          messageId,
          body,
          md5OfBody: createHash('md5').update(body).digest('hex'),
          attributes,
          sentAt: this.#now(),
          done: (error) => (error === undefined ? resolve() : reject(error)),
        });
        if (this.#flushing) return;
        this.#flushing = true;
        // After the requests already read in this turn of the event loop have sent theirs too:
        // PGlite runs on this thread, so without the pause every send would go alone.
        setImmediate(() => void this.#flushSends());
      });
    } catch (error) {
      this.#depth -= 1;
      throw error;
    }
    return messageId;
  }

  async #flushSends(): Promise<void> {
    try {
      while (this.#sends.length > 0) {
        const group = this.#sends.splice(0, MAX_SEND_GROUP);
        if (await this.#store(group)) continue;
        // One bad message must not fail the others: each goes alone.
        for (const send of group) await this.#store([send]);
      }
    } finally {
      this.#flushing = false;
    }
  }

  /** Inserts the group and settles its sends; false when a group of several failed (nothing settled). */
  async #store(group: readonly PendingSend[]): Promise<boolean> {
    try {
      await this.#insert(group);
    } catch (error) {
      if (group.length > 1) return false;
      group[0]?.done(error);
      return true;
    }
    for (const send of group) send.done();
    this.#announce(group.length);
    return true;
  }

  async #insert(group: readonly PendingSend[]): Promise<void> {
    await this.#db.query(SEND_SQL, [
      this.name,
      group.map((s) => s.messageId),
      group.map((s) => s.body),
      group.map((s) => s.md5OfBody),
      group.map((s) => s.attributes),
      group.map((s) => s.sentAt),
    ]);
  }

  /** Calls `listener` with a count whenever messages arrive (sent, redriven or released), so a poller can wake. */
  onMessage(listener: (count: number) => void): void {
    this.#listeners.push(listener);
  }

  #announce(count: number): void {
    for (const listener of this.#listeners) listener(count);
  }

  /** Receives up to `max` visible messages, hiding each for the visibility timeout. */
  async receive(max: number, visibilityTimeoutMs = this.visibilityTimeoutMs): Promise<ReceivedMessage[]> {
    const received: ReceivedMessage[] = [];
    // Dead-lettered messages take places in a claim; claim again for the places they freed.
    for (let round = 0; round < 10 && received.length < max; round += 1) {
      const { claimed, deadLettered } = await this.#claim(max - received.length, visibilityTimeoutMs);
      received.push(...claimed);
      if (deadLettered === 0) break;
    }
    return received;
  }

  async #claim(
    max: number,
    visibilityTimeoutMs: number,
  ): Promise<{ claimed: ReceivedMessage[]; deadLettered: number }> {
    const now = this.#now();
    const dlq = this.redrive?.deadLetterQueue;
    // Places reserved in the DLQ before the await, as a send does; the unused ones are given back.
    const room = dlq ? Math.max(0, Math.min(dlq.maxMessages - dlq.#depth, this.#depth)) : 0;
    if (dlq) dlq.#depth += room;
    let rows: unknown[] = [];
    let deadLettered = 0;
    try {
      ({ rows } = await this.#db.query(RECEIVE_SQL, [
        this.name,
        now,
        visibilityTimeoutMs,
        this.redrive?.maxReceiveCount ?? NO_REDRIVE,
        max,
        room,
        dlq?.name ?? null,
        this.arn,
      ]));
      deadLettered = DeadLetteredSchema.parse(rows[0]).dead_lettered;
    } finally {
      if (dlq) dlq.#depth -= room - deadLettered;
    }
    this.#depth -= deadLettered;
    if (dlq && deadLettered > 0) dlq.#announce(deadLettered);
    const claimed = rows
      .filter((row) => (row as { message_id: unknown }).message_id !== null)
      .map(toMessage)
      .sort((a, b) => a.seq - b.seq)
      .map((m) => ({ message: withoutSeq(m), receiptHandle: m.receiptHandle ?? '' }));
    return { claimed, deadLettered };
  }

  /** Deletes by receipt handle; a stale handle (the message was received again since) deletes nothing. */
  async delete(receiptHandle: string): Promise<boolean> {
    return (await this.deleteBatch([receiptHandle])) === 1;
  }

  /** Like DeleteMessageBatch, in one statement. Returns how many were deleted. */
  async deleteBatch(receiptHandles: readonly string[]): Promise<number> {
    const valid = receiptHandles.flatMap((handle) => {
      const id = messageIdOf(handle);
      return id === null ? [] : [{ id, handle }];
    });
    if (valid.length === 0) return 0;
    const { rowCount } = await this.#db.query(DELETE_SQL, [
      this.name,
      valid.map((v) => v.id),
      valid.map((v) => v.handle),
    ]);
    this.#depth -= rowCount;
    return rowCount;
  }

  /** Makes a received message visible again after `timeoutMs` (0 = now). */
  async changeVisibility(receiptHandle: string, timeoutMs: number): Promise<boolean> {
    const id = messageIdOf(receiptHandle);
    if (id === null) return false;
    const { rowCount } = await this.#db.query(CHANGE_VISIBILITY_SQL, [
      this.name,
      id,
      receiptHandle,
      this.#now() + timeoutMs,
    ]);
    return rowCount === 1;
  }

  async recordError(messageId: string, error: string): Promise<void> {
    await this.recordErrors([{ messageId, error }]);
  }

  /** Keeps each message's latest failure, for the dead-letter listing. */
  async recordErrors(errors: readonly MessageError[]): Promise<void> {
    const valid = errors.filter((e) => UUID.test(e.messageId));
    if (valid.length === 0) return;
    await this.#db.query(RECORD_ERRORS_SQL, [
      this.name,
      valid.map((e) => e.messageId),
      valid.map((e) => e.error.slice(0, MAX_ERROR_CHARS)),
    ]);
  }

  async list(): Promise<QueueMessage[]> {
    const { rows } = await this.#db.query(
      `SELECT ${COLUMNS} FROM local_queue_messages WHERE queue = $1 ORDER BY seq`,
      [this.name],
    );
    return rows.map((row) => withoutSeq(toMessage(row)));
  }

  async stats(): Promise<QueueStats> {
    const { rows } = await this.#db.query(
      `SELECT count(*)::int AS total, (count(*) FILTER (WHERE visible_at > $2::bigint))::int AS in_flight
       FROM local_queue_messages WHERE queue = $1`,
      [this.name, this.#now()],
    );
    const { total, in_flight: inFlight } = CountsSchema.parse(rows[0]);
    return { name: this.name, visible: total - inFlight, inFlight, total };
  }

  /** Epoch ms of the soonest moment a hidden message becomes visible, or null. */
  async nextVisibleAt(): Promise<number | null> {
    const { rows } = await this.#db.query(
      'SELECT min(visible_at) AS next FROM local_queue_messages WHERE queue = $1 AND visible_at > $2::bigint',
      [this.name, this.#now()],
    );
    return NextSchema.parse(rows[0]).next;
  }

  /**
   * Makes every hidden message visible now and voids its receipt handle. Only for the owner at start:
   * whoever received them before is gone, so there is no point waiting out their timeouts.
   */
  async releaseInFlight(): Promise<number> {
    const { rowCount } = await this.#db.query(
      `UPDATE local_queue_messages SET visible_at = 0, receipt_handle = NULL
       WHERE queue = $1 AND visible_at > $2::bigint`,
      [this.name, this.#now()],
    );
    if (rowCount > 0) this.#announce(rowCount);
    return rowCount;
  }

  /** Moves messages back to the queue they were dead-lettered from (like StartMessageMoveTask), as many as fit. */
  async redriveTo(source: LocalQueue): Promise<number> {
    return this.moveTo(source, this.#depth);
  }

  /**
   * Reserves `room` in `destination` before `move` runs (so concurrent sends cannot overfill it), then settles
   * both depths by what `move` reports it moved.
   */
  async #moveInto(destination: LocalQueue, room: number, move: () => Promise<number>): Promise<number> {
    destination.#depth += room;
    let moved = 0;
    try {
      moved = await move();
    } finally {
      destination.#depth -= room - moved;
    }
    this.#depth -= moved;
    if (moved > 0) destination.#announce(moved);
    return moved;
  }

  // One message at a time, by id, for the console's dead-letter panel.

  /** The first `limit` messages in queue order. */
  async head(limit: number): Promise<QueueMessage[]> {
    const { rows } = await this.#db.query(
      `SELECT ${COLUMNS} FROM local_queue_messages WHERE queue = $1 ORDER BY seq LIMIT $2::int`,
      [this.name, limit],
    );
    return rows.map((row) => withoutSeq(toMessage(row)));
  }

  /** Moves one message back to the queue it was dead-lettered from, as redriveTo does; false if it is not here. */
  async redriveOneTo(source: LocalQueue, messageId: string): Promise<boolean> {
    if (!UUID.test(messageId) || source.#depth >= source.maxMessages) return false;
    // REDRIVE_SQL for one message.
    const moved = await this.#moveInto(source, 1, async () => {
      const { rowCount } = await this.#db.query(
        `UPDATE local_queue_messages
         SET queue = $2, seq = nextval('local_queue_message_seq'), receive_count = 0, visible_at = 0,
             receipt_handle = NULL, dead_lettered_at = NULL, source_queue_arn = NULL
         WHERE queue = $1 AND message_id = $3::uuid`,
        [this.name, source.name, messageId],
      );
      return rowCount;
    });
    return moved === 1;
  }

  /** Deletes one message by id, whatever its receipt handle (an operator's decision, not a consumer's). */
  async deleteById(messageId: string): Promise<boolean> {
    if (!UUID.test(messageId)) return false;
    const { rowCount } = await this.#db.query(
      'DELETE FROM local_queue_messages WHERE queue = $1 AND message_id = $2::uuid',
      [this.name, messageId],
    );
    this.#depth -= rowCount;
    return rowCount === 1;
  }

  // For the AWS wire endpoint (local/src/aws/sqs): typed attributes, purge, and moves in steps.

  /** Like SendMessage with typed attributes (String, Number, Binary); durable once this resolves. */
  async sendMessage(body: string, attributes: Readonly<Record<string, MessageAttribute>>): Promise<string> {
    const flat = Object.fromEntries(
      Object.entries(attributes).map(([name, a]) => [
        name,
        a.dataType + (a.stringValue ?? a.binaryValue ?? ''),
      ]),
    );
    assertMessageFits('SQS', body, flat);
    const stored = Object.fromEntries(Object.entries(attributes).map(([name, a]) => [name, toStored(a)]));
    return this.#enqueue(body, JSON.stringify(stored));
  }

  /** Like PurgeQueue: deletes every message, in flight or not. Returns how many. */
  async purge(): Promise<number> {
    const { rowCount } = await this.#db.query('DELETE FROM local_queue_messages WHERE queue = $1', [
      this.name,
    ]);
    this.#depth -= rowCount;
    return rowCount;
  }

  /** Moves up to `max` messages to `destination` (a step of a StartMessageMoveTask), as many as fit. */
  async moveTo(destination: LocalQueue, max: number): Promise<number> {
    const room = Math.min(destination.maxMessages - destination.#depth, this.#depth, max);
    if (room <= 0) return 0;
    return this.#moveInto(
      destination,
      room,
      async () => (await this.#db.query(REDRIVE_SQL, [this.name, destination.name, room])).rowCount,
    );
  }
}

export type {
  LocalQueueOptions,
  MessageAttribute,
  MessageError,
  QueueMessage,
  QueueStats,
  ReceivedMessage,
  RedrivePolicy,
};
export { LocalQueue, QueueFullError };
