import { LambdaFunctionUrlSchema } from '@aws-lambda-powertools/parser/schemas/lambda';
import { describe, expect, it } from 'vitest';
import { toFunctionUrlEvent } from './functionUrlEvent.ts';

const base = {
  method: 'post',
  url: '/users?limit=2&tag=a&tag=b',
  rawHeaders: [
    'Content-Type',
    'application/json',
    'X-Multi',
    '1',
    'x-multi',
    '2',
    'Cookie',
    'a=1; b=2',
    'Host',
    'localhost:3000',
  ],
  body: Buffer.from('{"name":"Ada"}'),
  sourceIp: '127.0.0.1',
  host: 'localhost:3000',
};

describe('toFunctionUrlEvent', () => {
  it('produces an event the Powertools Function URL schema accepts', () => {
    expect(LambdaFunctionUrlSchema.safeParse(toFunctionUrlEvent(base)).success).toBe(true);
  });

  it('lower-cases headers, joins repeats and splits cookies out', () => {
    const event = toFunctionUrlEvent(base);
    expect(event.headers).toMatchObject({ 'content-type': 'application/json', 'x-multi': '1,2' });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['a=1', 'b=2']);
  });

  it('keeps the raw query and joins repeated parameters with commas', () => {
    const event = toFunctionUrlEvent(base);
    expect(event.rawPath).toBe('/users');
    expect(event.rawQueryString).toBe('limit=2&tag=a&tag=b');
    expect(event.queryStringParameters).toEqual({ limit: '2', tag: 'a,b' });
    expect(event.requestContext.http.method).toBe('POST');
  });

  it('passes text bodies as is and base64-encodes binary ones', () => {
    expect(toFunctionUrlEvent(base)).toMatchObject({ body: '{"name":"Ada"}', isBase64Encoded: false });
    const binary = toFunctionUrlEvent({
      ...base,
      rawHeaders: ['Content-Type', 'application/octet-stream'],
      body: Buffer.from([0xff, 0x00]),
    });
    expect(binary).toMatchObject({ body: '/wA=', isBase64Encoded: true });
  });

  it('base64-encodes a text body whose bytes are not UTF-8, so no byte is lost', () => {
    const latin1 = Buffer.from('{"name":"Jos\xe9"}', 'latin1');
    const event = toFunctionUrlEvent({ ...base, body: latin1 });
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64').equals(latin1)).toBe(true);
  });

  it('stamps the request as Function URLs do: their time format, a given or fresh request id, the URL id', () => {
    const event = toFunctionUrlEvent(
      { ...base, host: 'abc123.lambda-url.us-east-1.on.aws' },
      { now: new Date('2026-03-02T09:03:58.000Z'), requestId: 'req-1' },
    );
    expect(event.requestContext).toMatchObject({
      time: '02/Mar/2026:09:03:58 +0000',
      timeEpoch: Date.parse('2026-03-02T09:03:58.000Z'),
      requestId: 'req-1',
      apiId: 'abc123',
      domainPrefix: 'abc123',
    });
    expect(toFunctionUrlEvent(base).requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('omits the body when there is none', () => {
    const event = toFunctionUrlEvent({ ...base, method: 'GET', body: Buffer.alloc(0) });
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });
});
