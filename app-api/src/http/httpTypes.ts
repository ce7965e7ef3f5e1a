/** Runtime-free request and response: the app never sees a Lambda event or a socket. */
interface HttpRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** Raw bytes; undefined when the request had no body. */
  body: Buffer | undefined;
  requestId: string;
  /** The authenticated caller (the signing IAM principal under AWS_IAM auth); undefined when anonymous. */
  caller?: string | undefined;
  /** Milliseconds the answer may take; past them it is a 503 (the edge sets it from Lambda's time). */
  deadlineMs?: number;
}

interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

type RouteParams = Readonly<Record<string, string>>;

type RouteHandler = (request: HttpRequest, params: RouteParams) => Promise<HttpResponse>;

const json = (statusCode: number, payload: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(payload),
});

export type { HttpRequest, HttpResponse, RouteHandler, RouteParams };
export { json };
