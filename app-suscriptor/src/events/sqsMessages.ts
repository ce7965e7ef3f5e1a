import { SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import { z } from 'zod';
import type { InboundMessage, IngestFailure } from '#shared/domain/ingestUserEvents.ts';
import { fromSnsNotification, parseSnsEnvelope } from './snsMessages.ts';

/** Just enough to learn a record's id, so even a malformed record can be reported failed. */
const IdentifiableSchema = z.object({ messageId: z.string().min(1) });

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
    const record = SqsRecordSchema.safeParse(raw);
    if (record.success) {
      batch.messages.push(unpackRecord(record.data));
      continue;
    }
    const id = IdentifiableSchema.safeParse(raw);
    if (id.success) {
      const issue = record.error.issues[0];
      batch.failures.push({
        id: id.data.messageId,
        reason: `Not a valid SQS record: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
      });
    } else {
      batch.unidentifiable += 1;
    }
  }
  return batch;
};

export type { UnpackedBatch };
export { unpackSqsRecords };
