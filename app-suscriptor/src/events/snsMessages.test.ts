import { describe, expect, it } from 'vitest';
import { snsEnvelopeBody, userEventBody } from '#tests/support/events.ts';
import { parseSnsEnvelope } from './snsMessages.ts';

describe('parseSnsEnvelope', () => {
  it('reads the envelope SNS wraps a message in for SQS, with its attributes', () => {
    const body = userEventBody('a@x.io');

    const envelope = parseSnsEnvelope(snsEnvelopeBody(body));

    expect(envelope?.Message).toBe(body);
    expect(envelope?.MessageAttributes).toEqual({
      eventType: { Type: 'String', Value: 'user.upserted' },
      schemaVersion: { Type: 'String', Value: '1' },
    });
  });

  it.each([
    ['a raw message (raw delivery)', userEventBody('a@x.io')],
    ['a body that is not JSON', '{"Type":"Notifica'],
    ['JSON that is not an object', '"Notification"'],
    ['a look-alike without the envelope fields', JSON.stringify({ Type: 'Notification', Message: 'm' })],
  ])('finds no envelope in %s', (_label, body) => {
    expect(parseSnsEnvelope(body)).toBeUndefined();
  });
});
