import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/domain/errors.ts';
import { signedBy } from '#tests/support/functionUrlRequest.ts';
import { MalformedJsonError } from './errors.ts';
import { toHttpRequest } from './functionUrlAdapter.ts';

const context = { awsRequestId: 'req-1' } as Context;

const event = (overrides: Record<string, unknown> = {}) => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: '/users',
  rawQueryString: 'limit=2&cursor=abc',
  headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'abc',
    domainName: 'abc.lambda-url.us-east-1.on.aws',
    domainPrefix: 'abc',
    http: {
      method: 'POST',
      path: '/users',
      protocol: 'HTTP/1.1',
      sourceIp: '203.0.113.9',
      userAgent: 'curl',
    },
    requestId: 'fu-1',
    routeKey: '$default',
    stage: '$default',
    time: '28/Nov/2026:12:00:00 +0000',
    timeEpoch: 1_795_000_000_000,
  },
  body: '{"name":"Ada"}',
  isBase64Encoded: false,
  ...overrides,
});

describe('Function URL event → HttpRequest', () => {
  it('maps method, path, query, headers and body', () => {
    const request = toHttpRequest(event(), context);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/users');
    expect(request.query.get('limit')).toBe('2');
    expect(request.headers['idempotency-key']).toBe('k1');
    expect(request.body?.toString()).toBe('{"name":"Ada"}');
    expect(request.requestId).toBe('req-1');
  });

  it('is anonymous without IAM auth', () => {
    expect(toHttpRequest(event(), context).caller).toBeUndefined();
  });

  it.each([
    [
      'an assumed role, whatever the session',
      'arn:aws:sts::123456789012:assumed-role/ingesta-client/botocore-session-1795000000',
      'arn:aws:sts::123456789012:assumed-role/ingesta-client',
    ],
    ['an IAM user', 'arn:aws:iam::123456789012:user/ada', 'arn:aws:iam::123456789012:user/ada'],
  ])('names the signing principal of %s as the caller', (_label, userArn, caller) => {
    const signed = signedBy(event(), userArn);
    expect(toHttpRequest(signed, context).caller).toBe(caller);
  });

  it('decodes base64-encoded bodies', () => {
    const body = Buffer.from('{"name":"Zoë"}').toString('base64');
    expect(toHttpRequest(event({ body, isBase64Encoded: true }), context).body?.toString()).toBe(
      '{"name":"Zoë"}',
    );
  });

  it('refuses a text body that is not well-formed Unicode instead of replacing what it cannot encode', () => {
    // A lone surrogate has no UTF-8 form; encoding it would silently store U+FFFD.
    expect(() => toHttpRequest(event({ body: '{"name":"\ud800x"}' }), context)).toThrow(MalformedJsonError);
  });

  it('hands an oversized body to the app whole, so the app answers and measures the 413', () => {
    const body = 'A'.repeat(300 * 1024);
    expect(toHttpRequest(event({ body }), context).body?.byteLength).toBe(300 * 1024);
  });

  it.each([
    ['an empty object', {}],
    ['a truncated event without requestContext', { ...event(), requestContext: undefined }],
    ['an SQS event', { Records: [{ eventSource: 'aws:sqs' }] }],
    ['a string', 'GET /users'],
  ])('rejects %s as a bad request', (_label, input) => {
    expect(() => toHttpRequest(input, context)).toThrow(ValidationError);
  });
});
