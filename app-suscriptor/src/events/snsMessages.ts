import { ValidationError } from '#shared/domain/errors.ts';
import type { InboundMessage } from '#shared/domain/ingestUserEvents.ts';
import * as z from '#shared/domain/zodMini.ts';

/**
 * The SNS notification as AWS documents it, reduced to what identifies one and what we read. The
 * signature and URL fields are neither checked nor used (the subscription is ours, not an HTTP endpoint),
 * so they are not parsed per record; the message itself is validated by the event contract.
 */
const SnsNotificationSchema = z.compiled(
  z.object({
    Type: z.literal('Notification'),
    MessageId: z.string(),
    TopicArn: z.string(),
    Subject: z.nullish(z.string()),
    Message: z.string(),
    Timestamp: z.string(),
    MessageAttributes: z.optional(
      z.record(z.string(), z.compiled(z.object({ Type: z.string(), Value: z.string() }))),
    ),
  }),
);

/** A record of a direct SNS → Lambda invocation. */
const SnsRecordSchema = z.object({
  EventSource: z.literal('aws:sns'),
  EventVersion: z.string(),
  EventSubscriptionArn: z.string(),
  Sns: SnsNotificationSchema,
});

type SnsEnvelope = z.output<typeof SnsNotificationSchema>;

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
  const parsed = SnsNotificationSchema.safeParse(envelope);
  return parsed.success ? parsed.data : undefined;
};

/** An SNS notification (direct, or the envelope SQS carries) as the message it published. */
const fromSnsNotification = (
  id: string,
  notification: { Message: string; MessageAttributes?: Record<string, { Value: string }> | undefined },
): InboundMessage => {
  const attributes: Record<string, string> = {};
  const given = notification.MessageAttributes ?? {};
  for (const name of Object.keys(given)) attributes[name] = (given[name] as { Value: string }).Value;
  return { id, body: notification.Message, attributes };
};

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
