/**
 * The JSON SNS wraps a message in when it delivers to SQS without raw delivery. Local envelopes
 * are not signed: Signature and SigningCertURL are omitted rather than faked.
 */
interface SnsEnvelopeInput {
  messageId: string;
  topicArn: string;
  message: string;
  attributes: Record<string, string>;
  timestamp: Date;
  subject?: string;
}

const snsEnvelope = ({
  messageId,
  topicArn,
  message,
  attributes,
  timestamp,
  subject,
}: SnsEnvelopeInput): string =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: messageId,
    TopicArn: topicArn,
    ...(subject !== undefined && { Subject: subject }),
    Message: message,
    Timestamp: timestamp.toISOString(),
    UnsubscribeURL: `http://localhost/local-sns/unsubscribe?TopicArn=${encodeURIComponent(topicArn)}`,
    ...(Object.keys(attributes).length > 0 && {
      MessageAttributes: Object.fromEntries(
        Object.entries(attributes).map(([name, value]) => [name, { Type: 'String', Value: value }]),
      ),
    }),
  });

export type { SnsEnvelopeInput };
export { snsEnvelope };
