import { describe, expect, it, vi } from 'vitest';
import { buildFunctionUrlEvent } from '../events/functionUrlEvent.ts';
import { HttpInvoker } from '../invokers/httpInvoker.ts';
import { createFunctionUrlSigner, regionFromFunctionUrl } from '../invokers/urlSigner.ts';

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
