import { randomUUID } from 'node:crypto';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import type { HttpRequest } from './httpRequest.ts';

const SMOKE_USER_AGENT = 'ingesta-smoke/1';

type FunctionUrlEventOptions = {
  now?: Date;
  requestId?: string;
  /** The Function URL host; only the API's logs and links see it. */
  domainName?: string;
};

/** Formats `12/Mar/2020:19:03:58 +0000`, the `requestContext.time` of a Function URL event. */
const formatRequestTime = (date: Date): string => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(
    date.getUTCHours(),
  )}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
};

/**
 * Builds the event Lambda passes for a Function URL request (payload format 2.0), so invoking the
 * function directly exercises the same code path as a request through its URL.
 */
const buildFunctionUrlEvent = (
  request: HttpRequest,
  options: FunctionUrlEventOptions = {},
): LambdaFunctionURLEvent => {
  const now = options.now ?? new Date();
  const domainName = options.domainName ?? 'smoke.lambda-url.us-east-1.on.aws';
  const query = request.query ?? {};
  const rawQueryString = new URLSearchParams(query).toString();
  const headers: Record<string, string> = {
    host: domainName,
    'user-agent': SMOKE_USER_AGENT,
    'x-forwarded-proto': 'https',
    'x-forwarded-for': '127.0.0.1',
  };
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));

  const event: LambdaFunctionURLEvent = {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString,
    headers,
    requestContext: {
      accountId: 'anonymous',
      apiId: domainName.split('.')[0] ?? 'smoke',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? 'smoke',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: SMOKE_USER_AGENT,
      },
      requestId: options.requestId ?? randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: formatRequestTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
  if (rawQueryString !== '') event.queryStringParameters = { ...query };
  if (request.body !== undefined) event.body = request.body;
  return event;
};

export type { FunctionUrlEventOptions };
export { buildFunctionUrlEvent };
