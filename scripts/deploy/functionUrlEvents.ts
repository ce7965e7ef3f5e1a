import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { type FunctionUrlEventOptions, toFunctionUrlEvent } from '#local/functionUrlEvent.ts';

/** An HTTP request as the API checks describe it, before any transport turns it into an event. */
type HttpRequest = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
};

/** An HTTP response as the API checks read it, whatever the transport. */
type HttpResponse = {
  statusCode: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
};

const SMOKE_USER_AGENT = 'ingesta-smoke/1';

type SmokeEventOptions = FunctionUrlEventOptions & {
  /** The Function URL host; only the API's logs and links see it. */
  domainName?: string;
};

/**
 * Builds the event Lambda passes for a Function URL request (payload format 2.0), so invoking the
 * function directly exercises the same code path as a request through its URL. The conversion is
 * the local runtime's, so smoke events and local requests cannot drift apart.
 */
const buildFunctionUrlEvent = (
  request: HttpRequest,
  { domainName = 'smoke.lambda-url.us-east-1.on.aws', ...options }: SmokeEventOptions = {},
): LambdaFunctionURLEvent => {
  const query = new URLSearchParams(request.query ?? {}).toString();
  const headers: Record<string, string> = {
    host: domainName,
    'user-agent': SMOKE_USER_AGENT,
    'x-forwarded-proto': 'https',
    'x-forwarded-for': '127.0.0.1',
  };
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  return toFunctionUrlEvent(
    {
      method: request.method,
      url: query === '' ? request.path : `${request.path}?${query}`,
      rawHeaders: Object.entries(headers).flat(),
      body: Buffer.from(request.body ?? ''),
      sourceIp: '127.0.0.1',
      host: domainName,
    },
    options,
  );
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a handler's return value the way the Function URL service does: an object with a numeric
 * `statusCode` is a response; anything else is a 200 JSON body.
 */
const parseFunctionUrlResult = (payload: unknown): HttpResponse => {
  if (!isRecord(payload) || typeof payload.statusCode !== 'number') {
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: typeof payload === 'string' ? payload : JSON.stringify(payload ?? null),
    };
  }
  const headers: Record<string, string> = {};
  if (isRecord(payload.headers)) {
    for (const [name, value] of Object.entries(payload.headers)) headers[name.toLowerCase()] = String(value);
  }
  const rawBody = typeof payload.body === 'string' ? payload.body : '';
  const body = payload.isBase64Encoded === true ? Buffer.from(rawBody, 'base64').toString('utf8') : rawBody;
  return { statusCode: payload.statusCode, headers, body };
};

/** Turns an HTTP response back into a Function URL result, for transports that speak real HTTP. */
const toFunctionUrlResult = (response: HttpResponse) => ({
  statusCode: response.statusCode,
  headers: response.headers,
  body: response.body,
  isBase64Encoded: false,
});

export type { HttpRequest, HttpResponse, SmokeEventOptions };
export { buildFunctionUrlEvent, parseFunctionUrlResult, toFunctionUrlResult };
