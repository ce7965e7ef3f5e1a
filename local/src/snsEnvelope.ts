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
  /** Each attribute's SNS type (`Number`, `Binary` with a base64 value, `String.Array`); `String` when absent. */
  attributeTypes?: Readonly<Record<string, string>>;
}

const snsEnvelope = ({
  messageId,
  topicArn,
  message,
  attributes,
  timestamp,
  subject,
  attributeTypes = {},
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
        Object.entries(attributes).map(([name, value]) => [
          name,
          { Type: attributeTypes[name] ?? 'String', Value: value },
        ]),
      ),
    }),
  });

export type { SnsEnvelopeInput };
export { snsEnvelope };
