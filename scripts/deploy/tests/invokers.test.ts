import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildFunctionUrlEvent } from '../functionUrlEvents.ts';
import {
  baseFunctionName,
  createFunctionUrlSigner,
  HttpInvoker,
  LambdaInvoker,
  LocalInvoker,
  parseFunctionRef,
  regionFromFunctionUrl,
} from '../invokers.ts';
import { createLambdaMock, invokeOutput } from './fakes.ts';

const lambda = createLambdaMock();

afterEach(() => {
  lambda.reset();
});

describe('LambdaInvoker', () => {
  it('invokes the qualifier under test synchronously with the JSON payload', async () => {
    lambda.on(InvokeCommand).resolves(invokeOutput({ ok: true }));
    const invoker = new LambdaInvoker(new LambdaClient({}), { functionName: 'ingesta-api', qualifier: '7' });

    const result = await invoker.invoke({ hello: 'world' });

    const input = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      FunctionName: 'ingesta-api',
      Qualifier: '7',
      InvocationType: 'RequestResponse',
    });
    expect(new TextDecoder().decode(input?.Payload as Uint8Array)).toBe('{"hello":"world"}');
    expect(result).toEqual({ statusCode: 200, payload: { ok: true } });
    expect(invoker.target).toBe('ingesta-api:7');
  });

  it('surfaces FunctionError and the error payload', async () => {
    lambda
      .on(InvokeCommand)
      .resolves(invokeOutput({ errorType: 'Error', errorMessage: 'boom' }, 'Unhandled'));
    const invoker = new LambdaInvoker(new LambdaClient({}), { functionName: 'ingesta-api' });

    const result = await invoker.invoke({});

    expect(result).toEqual({
      statusCode: 200,
      functionError: 'Unhandled',
      payload: { errorType: 'Error', errorMessage: 'boom' },
    });
  });
});

describe('parseFunctionRef', () => {
  it.each([
    ['ingesta-api', { functionName: 'ingesta-api' }],
    ['ingesta-api:live', { functionName: 'ingesta-api', qualifier: 'live' }],
    [
      'arn:aws:lambda:eu-west-1:123456789012:function:ingesta-suscriptor',
      { functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:ingesta-suscriptor' },
    ],
    [
      'arn:aws:lambda:eu-west-1:123456789012:function:ingesta-suscriptor:12',
      { functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:ingesta-suscriptor', qualifier: '12' },
    ],
  ])('splits %s into name and qualifier', (ref, expected) => {
    expect(parseFunctionRef(ref)).toEqual(expected);
  });

  it.each(['a:b:c', 'arn:aws:lambda:x', 'ingesta-api:', ':live'])('rejects %s', (ref) => {
    expect(() => parseFunctionRef(ref)).toThrow(/Expected|Not a Lambda function ARN/);
  });

  it('finds the bare name in an ARN, which picks the suite', () => {
    expect(baseFunctionName(parseFunctionRef('arn:aws:lambda:eu-west-1:1:function:x-api:live'))).toBe(
      'x-api',
    );
  });
});

describe('LocalInvoker', () => {
  it('passes the handler a JSON copy of the payload and a Lambda-like context', async () => {
    let seen: { event: unknown; context: Context } | undefined;
    const payload = { when: new Date('2026-01-02T03:04:05.000Z'), skipped: undefined };
    const invoker = new LocalInvoker('ingesta-api', async (event, context) => {
      seen = { event, context };
      return null;
    });

    await invoker.invoke(payload);

    expect(seen?.event).toEqual({ when: '2026-01-02T03:04:05.000Z' });
    expect(seen?.event).not.toBe(payload);
    expect(seen?.context.functionName).toBe('ingesta-api');
    expect(seen?.context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(invoker.target).toBe('local:ingesta-api');
  });

  it('returns the result through a JSON round trip with StatusCode 200', async () => {
    const invoker = new LocalInvoker('ingesta-api', async () => ({ at: new Date(0), gone: undefined }));

    const result = await invoker.invoke({});

    expect(result).toEqual({ statusCode: 200, payload: { at: '1970-01-01T00:00:00.000Z' } });
    expect(result).not.toHaveProperty('functionError');
  });

  it('turns a thrown error into FunctionError Unhandled, still with StatusCode 200, as Lambda does', async () => {
    const invoker = new LocalInvoker('ingesta-suscriptor', async () => {
      throw new TypeError('cannot read x');
    });

    const result = await invoker.invoke({});

    expect(result.statusCode).toBe(200);
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload).toMatchObject({ errorType: 'TypeError', errorMessage: 'cannot read x' });
  });

  it('maps a handler that returns nothing to a null payload', async () => {
    const invoker = new LocalInvoker('ingesta-api', async () => undefined);

    expect(await invoker.invoke({})).toEqual({ statusCode: 200, payload: null });
  });
});

const URL_ = 'https://abc123.lambda-url.eu-west-1.on.aws/';

const fakeFetch = (status: number, body: string, headers: Record<string, string> = {}) =>
  vi.fn(async (_url: URL | RequestInfo, _init?: RequestInit) => new Response(body, { status, headers }));

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };

describe('HttpInvoker', () => {
  it('sends the request a Function URL event describes and returns the response as a URL result', async () => {
    const fetch = fakeFetch(202, '{"eventId":"e"}', { 'Content-Type': 'application/json' });
    const invoker = new HttpInvoker(URL_, { fetch });
    const event = buildFunctionUrlEvent({
      method: 'POST',
      path: '/users',
      query: { a: '1' },
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":"n"}',
    });

    const result = await invoker.invoke(event);

    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(String(url)).toBe('https://abc123.lambda-url.eu-west-1.on.aws/users?a=1');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{"name":"n"}');
    expect(init?.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(init?.headers).not.toHaveProperty('host');
    expect(result).toEqual({
      statusCode: 200,
      payload: {
        statusCode: 202,
        headers: { 'content-type': 'application/json' },
        body: '{"eventId":"e"}',
        isBase64Encoded: false,
      },
    });
  });

  it('signs requests with SigV4 for the lambda service when the URL uses AWS_IAM', async () => {
    const fetch = fakeFetch(200, '{}');
    const signer = createFunctionUrlSigner(URL_, credentials);
    const invoker = new HttpInvoker(URL_, { fetch, signer });

    await invoker.invoke(buildFunctionUrlEvent({ method: 'GET', path: '/health' }));

    const headers = fetch.mock.calls[0]?.[1]?.headers as Record<string, string>;
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request, SignedHeaders=.*host.*, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-security-token']).toBe('token');
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(invoker.target).toContain('(SigV4)');
  });

  it('sends no signature for a URL whose auth type is NONE', async () => {
    const fetch = fakeFetch(200, '{}');

    await new HttpInvoker(URL_, { fetch }).invoke(buildFunctionUrlEvent({ method: 'GET', path: '/health' }));

    expect(fetch.mock.calls[0]?.[1]?.headers).not.toHaveProperty('authorization');
  });

  it('refuses payloads that are not Function URL events', async () => {
    await expect(
      new HttpInvoker(URL_, { fetch: fakeFetch(200, '') }).invoke({ Records: [] }),
    ).rejects.toThrow('only carries Function URL events');
  });
});

describe('regionFromFunctionUrl', () => {
  it('reads the region from a Function URL host', () => {
    expect(regionFromFunctionUrl('https://x.lambda-url.ap-southeast-2.on.aws/')).toBe('ap-southeast-2');
    expect(regionFromFunctionUrl('https://example.com/')).toBeUndefined();
  });
});
