import { createHash } from 'node:crypto';
import { SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import { describe, expect, it } from 'vitest';
import { toSqsRecord } from './sqsEvent.ts';

const fields = {
  messageId: 'm1',
  receiptHandle: 'rh-1',
  body: '{"a":1}',
  receiveCount: 2,
  sentTimestamp: 1_767_225_600_000,
  senderId: 'AIDAEXAMPLE',
  queueArn: 'arn:aws:sqs:eu-west-1:123456789012:q',
  region: 'eu-west-1',
};

describe('toSqsRecord', () => {
  it('builds a record the Powertools SQS schema accepts, with the MD5 SQS computes for the body', () => {
    const record = toSqsRecord(fields);

    expect(SqsRecordSchema.parse(record)).toBeTruthy();
    expect(record.md5OfBody).toBe(createHash('md5').update('{"a":1}').digest('hex'));
    expect(record.attributes).toEqual({
      ApproximateReceiveCount: '2',
      SentTimestamp: '1767225600000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1767225600000',
    });
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: fields.queueArn,
      awsRegion: 'eu-west-1',
      messageAttributes: {},
    });
  });

  it('keeps a given MD5, first receive time and String message attributes', () => {
    const record = toSqsRecord({
      ...fields,
      md5OfBody: 'f'.repeat(32),
      firstReceiveTimestamp: 1_767_225_600_500,
      messageAttributes: { eventType: { dataType: 'String', stringValue: 'user.upserted' } },
    });

    expect(record.md5OfBody).toBe('f'.repeat(32));
    expect(record.attributes.ApproximateFirstReceiveTimestamp).toBe('1767225600500');
    expect(record.messageAttributes).toEqual({
      eventType: {
        dataType: 'String',
        stringValue: 'user.upserted',
        stringListValues: [],
        binaryListValues: [],
      },
    });
  });
});
