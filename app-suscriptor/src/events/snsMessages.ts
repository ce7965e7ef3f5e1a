import { SnsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import { ValidationError } from '#shared/domain/errors.ts';
import type { InboundMessage } from '#shared/domain/ingestUserEvents.ts';

/** An SNS notification (direct, or the envelope SQS carries) as the message it published. */
const fromSnsNotification = (
  id: string,
  notification: { Message: string; MessageAttributes?: Record<string, { Value: string }> | undefined },
): InboundMessage => ({
  id,
  body: notification.Message,
  attributes: Object.fromEntries(
    Object.entries(notification.MessageAttributes ?? {}).map(([name, a]) => [name, a.Value]),
  ),
});

/** Direct SNS → Lambda invocations (the original design). SNS sends one record per invoke. */
const unpackSnsRecords = (records: readonly unknown[]): InboundMessage[] =>
  records.map((raw, index) => {
    const record = SnsRecordSchema.safeParse(raw);
    if (!record.success) {
      throw new ValidationError(`SNS record ${index} is malformed.`, [
        { path: `Records.${index}`, message: record.error.issues[0]?.message ?? 'invalid' },
      ]);
    }
    return fromSnsNotification(record.data.Sns.MessageId, record.data.Sns);
  });

export { fromSnsNotification, unpackSnsRecords };
