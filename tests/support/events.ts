import type { SNSEvent, SQSEvent, SQSRecord } from 'aws-lambda';

/** Real-shaped Lambda events for tests, as AWS documents them. */

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:ingesta-users';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:ingesta-users';

const userEventBody = (email: string, overrides: Record<string, unknown> = {}): string =>
  JSON.stringify({
    eventId: `evt-${email}`,
    occurredAt: '2026-01-01T00:00:00.000Z',
    user: { name: `Name of ${email}`, email },
    ...overrides,
  });

const snsEnvelopeBody = (
  message: string,
  attributes = { eventType: 'user.upserted', schemaVersion: '1' },
): string =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: 'd88d4479-6ec0-54fe-b63f-1cf9df4bb16e',
    TopicArn: TOPIC_ARN,
    Message: message,
    Timestamp: '2026-01-19T10:07:07.287Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLE',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000.pem',
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
    MessageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([k, v]) => [k, { Type: 'String', Value: v }]),
    ),
  });

const sqsRecord = (
  messageId: string,
  body: string,
  messageAttributes: SQSRecord['messageAttributes'] = {},
): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1767225600000',
    SenderId: 'AIDAEXAMPLE',
    ApproximateFirstReceiveTimestamp: '1767225600001',
  },
  messageAttributes,
  md5OfBody: '0'.repeat(32),
  eventSource: 'aws:sqs',
  eventSourceARN: QUEUE_ARN,
  awsRegion: 'us-east-1',
});

const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

const snsEvent = (message: string, messageId = 'sns-1'): SNSEvent => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: `${TOPIC_ARN}:sub`,
      Sns: {
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: TOPIC_ARN,
        Subject: '',
        Message: message,
        Timestamp: '2026-01-19T10:07:07.287Z',
        SignatureVersion: '1',
        Signature: 'EXAMPLE',
        SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/cert.pem',
        UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
        MessageAttributes: { eventType: { Type: 'String', Value: 'user.upserted' } },
      },
    },
  ],
});

export { QUEUE_ARN, snsEnvelopeBody, snsEvent, sqsEvent, sqsRecord, TOPIC_ARN, userEventBody };
