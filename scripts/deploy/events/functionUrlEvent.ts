import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { type FunctionUrlEventOptions, toFunctionUrlEvent } from '#local/functionUrlEvent.ts';
import type { HttpRequest } from './httpRequest.ts';

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

export type { SmokeEventOptions };
export { buildFunctionUrlEvent };
