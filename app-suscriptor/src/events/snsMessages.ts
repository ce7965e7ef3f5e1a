import { SnsRecordSchema, SnsSqsNotificationSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import type { z } from 'zod';
import { ValidationError } from '#shared/domain/errors.ts';
import type { InboundMessage } from '#shared/domain/ingestUserEvents.ts';

type SnsEnvelope = z.output<typeof SnsSqsNotificationSchema>;

const looksLikeSnsEnvelope = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && (value as Record<string, unknown>).Type === 'Notification';

/**
 * The SNS envelope an SQS body carries when the subscription does not use raw message delivery.
 * Undefined for anything else (not JSON, raw delivery, or only a look-alike): that body is the message.
 * The subscriber and the local dead-letter view both read envelopes here.
 */
const parseSnsEnvelope = (body: string): SnsEnvelope | undefined => {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!looksLikeSnsEnvelope(envelope)) return undefined;
  const parsed = SnsSqsNotificationSchema.safeParse(envelope);
  return parsed.success ? parsed.data : undefined;
};

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

export type { SnsEnvelope };
export { fromSnsNotification, parseSnsEnvelope, unpackSnsRecords };
