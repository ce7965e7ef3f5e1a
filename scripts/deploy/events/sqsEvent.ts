import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

type SnsEnvelopeOptions = {
  topicArn?: string;
  messageId?: string;
  /** SNS message attributes, all of type String. */
  attributes?: Record<string, string>;
  now?: Date;
};

/** The JSON body SQS receives from an SNS subscription without raw message delivery. */
const buildSnsEnvelope = (message: string, options: SnsEnvelopeOptions = {}): string => {
  const topicArn = options.topicArn ?? `arn:aws:sns:${REGION}:${ACCOUNT}:ingesta-smoke`;
  const messageAttributes = Object.fromEntries(
    Object.entries(options.attributes ?? {}).map(([name, value]) => [name, { Type: 'String', Value: value }]),
  );
  return JSON.stringify({
    Type: 'Notification',
    MessageId: options.messageId ?? randomUUID(),
    TopicArn: topicArn,
    Message: message,
    Timestamp: (options.now ?? new Date()).toISOString(),
    SignatureVersion: '1',
    Signature: 'c21va2U=',
    SigningCertURL: `https://sns.${REGION}.amazonaws.com/SimpleNotificationService-smoke.pem`,
    UnsubscribeURL: `https://sns.${REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:smoke`,
    MessageAttributes: messageAttributes,
  });
};

type SqsRecordOptions = { messageId?: string; queueArn?: string; now?: Date; receiveCount?: number };

/** One SQS record as the event source mapping delivers it, with a real MD5 of the body. */
const buildSqsRecord = (body: string, options: SqsRecordOptions = {}): SQSRecord => {
  const sent = String((options.now ?? new Date()).getTime());
  return {
    messageId: options.messageId ?? randomUUID(),
    receiptHandle: `smoke-${randomUUID()}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: sent,
      SenderId: 'AIDASMOKE',
      ApproximateFirstReceiveTimestamp: sent,
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn ?? `arn:aws:sqs:${REGION}:${ACCOUNT}:ingesta-smoke`,
    awsRegion: REGION,
  };
};

const buildSqsEvent = (records: SQSRecord[]): SQSEvent => ({ Records: records });

export type { SnsEnvelopeOptions, SqsRecordOptions };
export { buildSnsEnvelope, buildSqsEvent, buildSqsRecord };
