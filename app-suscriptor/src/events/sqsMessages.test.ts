import { describe, expect, it } from 'vitest';
import { snsEnvelopeBody, sqsRecord, userEventBody } from '#tests/support/events.ts';
import { unpackSqsRecords } from './sqsMessages.ts';

describe('unpackSqsRecords', () => {
  it('unwraps the SNS envelope and its message attributes', () => {
    const body = userEventBody('a@x.io');
    const { messages } = unpackSqsRecords([sqsRecord('m1', snsEnvelopeBody(body))]);
    expect(messages).toEqual([
      { id: 'm1', body, attributes: { eventType: 'user.upserted', schemaVersion: '1' } },
    ]);
  });

  it('reads raw message delivery with SQS message attributes', () => {
    const body = userEventBody('a@x.io');
    const record = sqsRecord('m1', body, {
      eventType: {
        dataType: 'String',
        stringValue: 'user.upserted',
        stringListValues: [],
        binaryListValues: [],
      },
    });
    expect(unpackSqsRecords([record]).messages).toEqual([
      { id: 'm1', body, attributes: { eventType: 'user.upserted' } },
    ]);
  });

  it('passes a truncated or non-JSON body through for validation to reject', () => {
    const { messages } = unpackSqsRecords([sqsRecord('m1', '{"Type":"Notifica')]);
    expect(messages[0]?.body).toBe('{"Type":"Notifica');
  });

  it('reports a malformed record that still has a messageId', () => {
    const batch = unpackSqsRecords([{ messageId: 'broken', body: 42 }]);
    expect(batch.messages).toHaveLength(0);
    expect(batch.failures[0]?.id).toBe('broken');
    expect(batch.failures[0]?.reason).toMatch(/^Not a valid SQS record/);
  });

  it('counts records without a usable messageId', () => {
    expect(unpackSqsRecords([{ body: '{}' }, null, 'x']).unidentifiable).toBe(3);
  });

  it.each([
    ['an empty', ''],
    ['a blank', '  '],
  ])('counts a valid record with %s messageId as unidentifiable, never as an itemIdentifier', (_l, id) => {
    const batch = unpackSqsRecords([sqsRecord(id, snsEnvelopeBody(userEventBody('a@x.io')))]);
    expect(batch).toEqual({ messages: [], failures: [], unidentifiable: 1 });
  });
});
