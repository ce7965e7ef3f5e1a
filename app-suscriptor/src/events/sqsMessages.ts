import { SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import { z } from 'zod';
import type { InboundMessage, IngestFailure } from '#shared/domain/ingestUserEvents.ts';
import { fromSnsNotification, parseSnsEnvelope } from './snsMessages.ts';

/**
 * Just enough to learn a record's id, so even a malformed record can be reported failed. An empty or
 * blank id is no id: Lambda fails the whole batch for an empty or unknown itemIdentifier, so such a
 * record is counted unidentifiable and the handler fails the batch on purpose instead.
 */
const IdentifiableSchema = z.object({ messageId: z.string().regex(/\S/) });

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
  const attributes = Object.fromEntries(
    Object.entries(record.messageAttributes).map(([name, a]) => [name, a.stringValue ?? undefined]),
  );
  return { id: record.messageId, body: record.body, attributes };
};

const unpackSqsRecords = (records: readonly unknown[]): UnpackedBatch => {
  const batch: UnpackedBatch = { messages: [], failures: [], unidentifiable: 0 };
  for (const raw of records) {
    const id = IdentifiableSchema.safeParse(raw);
    if (!id.success) {
      batch.unidentifiable += 1;
      continue;
    }
    const record = SqsRecordSchema.safeParse(raw);
    if (record.success) batch.messages.push(unpackRecord(record.data));
    else {
      const issue = record.error.issues[0];
      batch.failures.push({
        id: id.data.messageId,
        reason: `Not a valid SQS record: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
      });
    }
  }
  return batch;
};

export type { UnpackedBatch };
export { unpackSqsRecords };
