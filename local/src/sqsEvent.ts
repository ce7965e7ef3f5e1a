import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { LocalQueue, ReceivedMessage } from './localQueue.ts';

/** Builds the event Lambda's SQS event source mapping would send for these messages. */
const toSqsEvent = (queue: LocalQueue, received: readonly ReceivedMessage[]): SQSEvent => ({
  Records: received.map(
    ({ message, receiptHandle }): SQSRecord => ({
      messageId: message.messageId,
      receiptHandle,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentTimestamp),
        SenderId: 'AIDALOCALSENDER000000',
        ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(message.attributes).map(([name, a]) => [
          name,
          { dataType: a.dataType, stringValue: a.stringValue, stringListValues: [], binaryListValues: [] },
        ]),
      ),
      md5OfBody: message.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: queue.region,
    }),
  ),
});

export { toSqsEvent };
