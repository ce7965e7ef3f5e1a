import { createHash } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { LocalQueue, MessageAttribute, ReceivedMessage } from './localQueue.ts';

/** What varies between SQS records; the rest of the shape is the event source mapping's. */
interface SqsRecordFields {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** SQS's MD5 of the body; computed from `body` when not given. */
  md5OfBody?: string;
  messageAttributes?: Readonly<Record<string, MessageAttribute>>;
  receiveCount: number;
  sentTimestamp: number;
  /** Defaults to `sentTimestamp`. */
  firstReceiveTimestamp?: number | null;
  senderId: string;
  queueArn: string;
  region: string;
}

/**
 * One SQS record as the event source mapping delivers it. The local event source and the smoke
 * checks both build theirs here; tests/support/events.ts keeps its own fixtures as an independent oracle.
 */
const toSqsRecord = (fields: SqsRecordFields): SQSRecord => ({
  messageId: fields.messageId,
  receiptHandle: fields.receiptHandle,
  body: fields.body,
  attributes: {
    ApproximateReceiveCount: String(fields.receiveCount),
    SentTimestamp: String(fields.sentTimestamp),
    SenderId: fields.senderId,
    ApproximateFirstReceiveTimestamp: String(fields.firstReceiveTimestamp ?? fields.sentTimestamp),
  },
  messageAttributes: Object.fromEntries(
    Object.entries(fields.messageAttributes ?? {}).map(([name, a]) => [
      name,
      {
        dataType: a.dataType,
        ...(a.stringValue !== undefined && { stringValue: a.stringValue }),
        ...(a.binaryValue !== undefined && { binaryValue: a.binaryValue }),
        stringListValues: [],
        binaryListValues: [],
      },
    ]),
  ),
  md5OfBody: fields.md5OfBody ?? createHash('md5').update(fields.body).digest('hex'),
  eventSource: 'aws:sqs',
  eventSourceARN: fields.queueArn,
  awsRegion: fields.region,
});

/** Builds the event Lambda's SQS event source mapping would send for these messages. */
const toSqsEvent = (queue: LocalQueue, received: readonly ReceivedMessage[]): SQSEvent => ({
  Records: received.map(({ message, receiptHandle }) =>
    toSqsRecord({
      messageId: message.messageId,
      receiptHandle,
      body: message.body,
      md5OfBody: message.md5OfBody,
      messageAttributes: message.attributes,
      receiveCount: message.receiveCount,
      sentTimestamp: message.sentTimestamp,
      firstReceiveTimestamp: message.firstReceiveTimestamp,
      senderId: 'AIDALOCALSENDER000000',
      queueArn: queue.arn,
      region: queue.region,
    }),
  ),
});

export type { SqsRecordFields };
export { toSqsEvent, toSqsRecord };
