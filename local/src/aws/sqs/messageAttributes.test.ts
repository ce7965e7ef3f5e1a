import { describe, expect, it } from 'vitest';
import { md5OfMessageAttributes, selectAttributes, toQueueAttributes } from './messageAttributes.ts';

describe('message attributes', () => {
  it('hashes attributes as SQS does (a published test vector)', () => {
    expect(md5OfMessageAttributes({ timestamp: { dataType: 'Number', stringValue: '1493147359900' } })).toBe(
      '235c5c510d26fb653d073faed50ae77c',
    );
  });

  it('hashes in name order, binary values as bytes, and nothing when there are none', () => {
    const a = { dataType: 'Binary', binaryValue: Buffer.from([1, 2]).toString('base64') };
    const b = { dataType: 'String', stringValue: 'x' };
    expect(md5OfMessageAttributes({ a, b })).toBe(md5OfMessageAttributes({ b, a }));
    expect(md5OfMessageAttributes({ a })).not.toBe(
      md5OfMessageAttributes({
        a: { dataType: 'Binary', binaryValue: Buffer.from([1, 3]).toString('base64') },
      }),
    );
    expect(md5OfMessageAttributes({})).toBeUndefined();
  });

  it('selects attributes by name, prefix or All', () => {
    const all = {
      'order.id': { dataType: 'String', stringValue: '1' },
      other: { dataType: 'String', stringValue: '2' },
    };
    expect(Object.keys(selectAttributes(all, ['order.*']))).toEqual(['order.id']);
    expect(Object.keys(selectAttributes(all, ['All']))).toEqual(['order.id', 'other']);
    expect(selectAttributes(all, [])).toEqual({});
  });

  it('refuses reserved names, unknown types, empty values and non-numbers', () => {
    const bad = [
      { 'aws.x': { DataType: 'String', StringValue: 'v' } } as Record<
        string,
        { DataType: string; StringValue: string }
      >,
      { x: { DataType: 'Text', StringValue: 'v' } },
      { x: { DataType: 'String', StringValue: '' } },
      { x: { DataType: 'Number', StringValue: 'ten' } },
      { x: { DataType: 'Binary', StringValue: 'v' } },
    ];
    for (const attributes of bad) expect(() => toQueueAttributes(attributes)).toThrow(/./);
    expect(toQueueAttributes({ x: { DataType: 'Number.int', StringValue: '10' } })).toEqual({
      x: { dataType: 'Number.int', stringValue: '10' },
    });
  });
});
