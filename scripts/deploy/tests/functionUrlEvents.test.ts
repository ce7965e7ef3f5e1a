import { LambdaFunctionUrlSchema } from '@aws-lambda-powertools/parser/schemas';
import { describe, expect, it } from 'vitest';
import { buildFunctionUrlEvent, parseFunctionUrlResult } from '../functionUrlEvents.ts';

describe('buildFunctionUrlEvent', () => {
  it('builds a payload format 2.0 event that the Function URL schema accepts', () => {
    const now = new Date('2026-03-12T19:03:58.000Z');

    const event = buildFunctionUrlEvent(
      { method: 'GET', path: '/users', query: { limit: '1', cursor: 'a b' }, headers: { 'X-Trace': 't' } },
      { now, requestId: 'req-1' },
    );

    expect(LambdaFunctionUrlSchema.parse(event)).toBeTruthy();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/users',
      rawQueryString: 'limit=1&cursor=a+b',
      queryStringParameters: { limit: '1', cursor: 'a b' },
      headers: { 'x-trace': 't' },
      requestContext: {
        http: { method: 'GET', path: '/users' },
        time: '12/Mar/2026:19:03:58 +0000',
        requestId: 'req-1',
      },
      isBase64Encoded: false,
    });
    expect(event).not.toHaveProperty('body');
  });

  it('carries a body with its content-length and omits query parameters when there are none', () => {
    const event = buildFunctionUrlEvent({ method: 'POST', path: '/users', body: '{"name":"ñ"}' });

    expect(event.body).toBe('{"name":"ñ"}');
    expect(event.headers['content-length']).toBe('13');
    expect(event).not.toHaveProperty('queryStringParameters');
  });
});

describe('parseFunctionUrlResult', () => {
  it('reads a structured result with lower-cased headers and a base64 body', () => {
    const result = parseFunctionUrlResult({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from('{"a":1}').toString('base64'),
      isBase64Encoded: true,
    });

    expect(result).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
  });

  it('treats anything without a statusCode as a 200 JSON body, as Function URLs do', () => {
    expect(parseFunctionUrlResult({ status: 'ok' })).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"status":"ok"}',
    });
  });
});
