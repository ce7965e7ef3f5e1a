import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

/** The topic the smoke's SNS envelopes name; the subscriber does not check it. */
const SMOKE_TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:ingesta-smoke`;

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

export type { SqsRecordOptions };
export { buildSqsEvent, buildSqsRecord, SMOKE_TOPIC_ARN };
