import { describe, expect, it } from 'vitest';
import { snsEvent, sqsEvent, sqsRecord } from '#tests/support/events.ts';
import { classifyEvent } from './classifyEvent.ts';

describe('classifyEvent', () => {
  it('recognises the migrate action', () => {
    expect(classifyEvent({ action: 'migrate' })).toEqual({ kind: 'migrate' });
  });

  it('refuses a migrate action with extra fields', () => {
    expect(classifyEvent({ action: 'migrate', drop: true }).kind).toBe('unknown');
  });

  it('tells SQS from SNS events by their source', () => {
    expect(classifyEvent(sqsEvent(sqsRecord('m', '{}'))).kind).toBe('sqs');
    expect(classifyEvent(snsEvent('{}')).kind).toBe('sns');
  });

  it.each([
    ['an empty Records list', { Records: [] }],
    ['no Records', { hello: 'world' }],
    ['null', null],
    ['over 10,000 records', { Records: new Array(10_001).fill({}) }],
  ])('refuses %s', (_label, event) => {
    expect(classifyEvent(event).kind).toBe('unknown');
  });
});
