import type { InboundMessage, IngestFailure } from '#shared/domain/ingestUserEvents.ts';
import * as z from '#shared/domain/zodMini.ts';
import { fromSnsNotification, parseSnsEnvelope } from './snsMessages.ts';

/**
 * An SQS record as Lambda's event source mapping delivers it, reduced to what we read: its id, its body
 * and the message attributes of raw delivery. The message itself is validated by the event contract.
 */
const SqsRecordSchema = z.compiled(
  z.object({
    messageId: z.string(),
    body: z.string(),
    messageAttributes: z.record(
      z.string(),
      z.compiled(z.object({ dataType: z.string(), stringValue: z.nullish(z.string()) })),
    ),
  }),
);

/**
 * An empty or blank id is no id: Lambda fails the whole batch for an empty or unknown itemIdentifier, so
 * such a record is counted unidentifiable and the handler fails the batch on purpose instead.
 */
const idOf = (raw: unknown): string | undefined => {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as { messageId?: unknown }).messageId;
  return typeof id === 'string' && /\S/.test(id) ? id : undefined;
};

interface UnpackedBatch {
  messages: InboundMessage[];
  /** Records that are not valid SQS records but carry an id we can report. */
  failures: IngestFailure[];
  /** Records with no usable id: the batch cannot be partially failed. */
  unidentifiable: number;
}

/**
 * An SQS record from an SNS subscription: with the SNS JSON envelope (default) or with raw message
 * delivery. Either way the result is the published message plus its attributes.
 */
const unpackRecord = (record: z.output<typeof SqsRecordSchema>): InboundMessage => {
  const envelope = parseSnsEnvelope(record.body);
  if (envelope) return fromSnsNotification(record.messageId, envelope);
  const attributes: Record<string, string | undefined> = {};
  for (const [name, a] of Object.entries(record.messageAttributes))
    attributes[name] = a.stringValue ?? undefined;
  return { id: record.messageId, body: record.body, attributes };
};

const unpackSqsRecords = (records: readonly unknown[]): UnpackedBatch => {
  const batch: UnpackedBatch = { messages: [], failures: [], unidentifiable: 0 };
  for (const raw of records) {
    const id = idOf(raw);
    if (id === undefined) {
      batch.unidentifiable += 1;
      continue;
    }
    const record = SqsRecordSchema.safeParse(raw);
    if (record.success) batch.messages.push(unpackRecord(record.data));
    else {
      const issue = record.error.issues[0];
      batch.failures.push({
        id,
        reason: `Not a valid SQS record: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
      });
    }
  }
  return batch;
};

export type { UnpackedBatch };
export { unpackSqsRecords };
