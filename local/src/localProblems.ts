import { type ServerResponse, STATUS_CODES } from 'node:http';
import { HttpError } from '#api/http/errors.ts';
import { toProblem } from '#api/http/problems.ts';

/**
 * The local server's own refusals: what a Function URL (or the HTTP layer in front of it) answers
 * before the function runs. They render through the API's one error table, as problem+json.
 */
class MisdirectedRequestError extends HttpError {
  override readonly name: string = 'MisdirectedRequestError';
  readonly statusCode = 421;
  readonly title = 'Misdirected Request';
  override readonly problemType = 'urn:ingesta:problem:misdirected-request';
  constructor(host: string, options?: ErrorOptions) {
    super(`This server does not answer for host '${host.slice(0, 200)}'.`, options);
  }
}

class CrossSiteRequestError extends HttpError {
  override readonly name: string = 'CrossSiteRequestError';
  readonly statusCode = 403;
  readonly title = 'Forbidden';
  override readonly problemType = 'urn:ingesta:problem:cross-site-request';
  constructor(reason: string, what: 'writes' | 'reads' = 'writes', options?: ErrorOptions) {
    super(`Cross-site ${what} are refused: ${reason}.`, options);
  }
}

class RequestTimeoutError extends HttpError {
  override readonly name: string = 'RequestTimeoutError';
  readonly statusCode = 408;
  readonly title = 'Request Timeout';
  constructor(message = 'The request was not received in time.', options?: ErrorOptions) {
    super(message, options);
  }
}

class BadGatewayError extends HttpError {
  override readonly name: string = 'BadGatewayError';
  readonly statusCode = 502;
  readonly title = 'Bad Gateway';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** A request Node's HTTP parser refused, or one without a Host header. */
class MalformedRequestError extends HttpError {
  override readonly name: string = 'MalformedRequestError';
  readonly statusCode = 400;
  readonly title = 'Bad Request';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

class HeadersTooLargeError extends HttpError {
  override readonly name: string = 'HeadersTooLargeError';
  readonly statusCode = 431;
  readonly title = 'Request Header Fields Too Large';
  constructor(options?: ErrorOptions) {
    super('The request headers are larger than the server accepts.', options);
  }
}

/** Sent on every answer of the local runtime: no MIME sniffing, and refusals are never cached. */
const RUNTIME_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } as const;

const render = (error: unknown, extensions: Record<string, unknown>) => {
  const { status, headers, document } = toProblem(error);
  const body = JSON.stringify({ ...document, ...extensions });
  return {
    status,
    body,
    headers: {
      ...RUNTIME_HEADERS,
      ...headers,
      'content-type': 'application/problem+json',
      'content-length': String(Buffer.byteLength(body)),
    },
  };
};

/** Answers with a problem document; `close` ends the connection after it (the request was not read). */
const writeProblem = (
  response: ServerResponse,
  error: unknown,
  { close = false, requestId }: { close?: boolean; requestId?: string } = {},
): void => {
  const { status, headers, body } = render(error, requestId === undefined ? {} : { requestId });
  response.writeHead(status, close ? { ...headers, connection: 'close' } : headers);
  response.end(body);
};

/** A whole HTTP/1.1 response for a socket that has no ServerResponse (Node's `clientError`). */
const rawProblem = (error: unknown): string => {
  const { status, headers, body } = render(error, {});
  const lines = Object.entries({ ...headers, connection: 'close' }).map(([k, v]) => `${k}: ${v}`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
};

export {
  BadGatewayError,
  CrossSiteRequestError,
  HeadersTooLargeError,
  MalformedRequestError,
  MisdirectedRequestError,
  RequestTimeoutError,
  RUNTIME_HEADERS,
  rawProblem,
  writeProblem,
};
