import { isUtf8 } from 'node:buffer';
import type { LambdaFunctionURLEvent } from 'aws-lambda';

interface IncomingHttp {
  method: string;
  /** Path and query as received, e.g. `/users?limit=2`. */
  url: string;
  /** Node's raw header list: [name, value, name, value, …]. */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  host: string;
}

interface FunctionUrlEventOptions {
  now?: Date;
  requestId?: string;
}

/** Formats `12/Mar/2020:19:03:58 +0000`, the `requestContext.time` of a Function URL event. */
const formatRequestTime = (date: Date): string => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (value: number): string => String(value).padStart(2, '0');
  const time = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map(pad).join(':');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${time} +0000`;
};

/** Function URLs pass text as is and base64-encode anything else. */
const isTextual = (contentType: string | undefined): boolean =>
  contentType === undefined ||
  /^(text\/|application\/(json|[a-z0-9.+-]+\+json|xml|[a-z0-9.+-]+\+xml|x-www-form-urlencoded|javascript))/i.test(
    contentType.trim(),
  );

/**
 * Turns an HTTP request into the payload 2.0 event a Lambda Function URL sends: lower-case
 * headers (repeats joined by commas), cookies split out, body base64 when binary. A "text" body
 * that is not valid UTF-8 is base64 too: decoding it would swap bytes for U+FFFD before the
 * handler's own strict decoder could refuse it.
 */
const toFunctionUrlEvent = (
  request: IncomingHttp,
  { now = new Date(), requestId }: FunctionUrlEventOptions = {},
): LambdaFunctionURLEvent => {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = (request.rawHeaders[i] as string).toLowerCase();
    const value = request.rawHeaders[i + 1] as string;
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const queryStart = request.url.indexOf('?');
  const rawPath = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : request.url.slice(queryStart + 1);
  const queryStringParameters: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    queryStringParameters[key] =
      queryStringParameters[key] === undefined ? value : `${queryStringParameters[key]},${value}`;
  }
  const binary = !isTextual(headers['content-type']) || !isUtf8(request.body);
  const hasBody = request.body.byteLength > 0;
  const domainPrefix = request.host.split('.')[0]?.split(':')[0] ?? 'localhost';

  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 && { cookies }),
    headers,
    ...(rawQueryString !== '' && { queryStringParameters }),
    requestContext: {
      accountId: 'anonymous',
      // A Function URL's id is its host's first label.
      apiId: domainPrefix,
      domainName: request.host,
      domainPrefix,
      http: {
        method: request.method.toUpperCase(),
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: requestId ?? crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: formatRequestTime(now),
      timeEpoch: now.getTime(),
    },
    ...(hasBody && { body: binary ? request.body.toString('base64') : request.body.toString('utf8') }),
    isBase64Encoded: hasBody && binary,
  };
};

export type { FunctionUrlEventOptions, IncomingHttp };
export { toFunctionUrlEvent };
