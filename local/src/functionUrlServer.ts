import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { PayloadTooLargeError } from '#api/http/errors.ts';
import { redactedError } from '#shared/logging/personalData.ts';
import { toFunctionUrlEvent } from './functionUrlEvent.ts';
import { createLambdaContext } from './lambdaContext.ts';
import {
  BadGatewayError,
  HeadersTooLargeError,
  MalformedRequestError,
  RequestTimeoutError,
  rawProblem,
  writeProblem,
} from './localProblems.ts';
import { createRequestGuard } from './requestGuard.ts';
import { endUnfinishedRequestsOnClose } from './unfinishedRequests.ts';

/** Lambda's invoke payload limit; a Function URL refuses larger requests before the function runs. */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

/** A slow client must not hold a connection: bounds on headers, the whole request, and a stalled body. */
interface ServerTimeouts {
  headersMs: number;
  /** The whole request, headers and body (not the function's run). */
  requestMs: number;
  /** Longest silence while reading a body. */
  bodyIdleMs: number;
  keepAliveMs: number;
  /** How often Node checks the header and request deadlines. */
  checkIntervalMs: number;
}

const DEFAULT_TIMEOUTS: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  bodyIdleMs: 10_000,
  keepAliveMs: 5_000,
  checkIntervalMs: 1_000,
};

const FunctionUrlResultSchema = z.object({
  statusCode: z.number().int().min(100).max(599).default(200),
  headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  cookies: z.array(z.string()).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

type Invoke = (event: unknown, context: Context) => Promise<unknown>;

/** Requests under this prefix are answered by the local runtime itself, never by the function. */
type RuntimeRoute = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

interface FunctionUrlServerOptions {
  invoke: Invoke;
  functionName: string;
  runtimeRoutes?: RuntimeRoute;
  functionTimeoutMs?: number;
  /** Host names this server answers to besides loopback's (the configured HOST). */
  hosts?: readonly string[];
  timeouts?: Partial<ServerTimeouts>;
}

/** The body, or null when it exceeds `limit` (read to the end and dropped, so the client hears the 413). */
const readBody = (request: IncomingMessage, limit: number, idleMs: number): Promise<Buffer | null> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let idle = setTimeout(() => reject(new RequestTimeoutError()), idleMs);
    const settle = (finish: () => void) => {
      clearTimeout(idle);
      finish();
    };
    request.on('data', (chunk: Buffer) => {
      clearTimeout(idle);
      idle = setTimeout(() => reject(new RequestTimeoutError()), idleMs);
      size += chunk.byteLength;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => settle(() => resolve(size > limit ? null : Buffer.concat(chunks))));
    request.on('error', (error) => settle(() => reject(error)));
  });

/** Node's parser refusals (400, 431) and its header/request deadlines (408), as problem+json. */
const onClientError = (error: NodeJS.ErrnoException, socket: Duplex): void => {
  // Node's own rule: only answer if no response has started on this socket.
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const refusal =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new RequestTimeoutError()
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new HeadersTooLargeError()
        : new MalformedRequestError(`The request is not valid HTTP (${error.code ?? 'unparsable'}).`);
  socket.end(rawProblem(refusal));
};

/** An HTTP server that turns each request into a Function URL event for the same handler Lambda runs. */
const createFunctionUrlServer = ({
  invoke,
  functionName,
  runtimeRoutes,
  functionTimeoutMs = 30_000,
  hosts = [],
  timeouts: overrides = {},
}: FunctionUrlServerOptions): Server => {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...overrides };
  const guard = createRequestGuard(hosts);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const refusal = guard(request);
    if (refusal) {
      writeProblem(response, refusal, { close: true });
      return;
    }
    if (runtimeRoutes && (await runtimeRoutes(request, response))) return;
    let body: Buffer | null;
    try {
      body = await readBody(request, MAX_REQUEST_BYTES, timeouts.bodyIdleMs);
    } catch (error) {
      // A stalled body gets its 408; a client that went away gets nothing.
      if (error instanceof RequestTimeoutError) writeProblem(response, error, { close: true });
      else request.socket.destroy();
      return;
    }
    if (body === null) {
      writeProblem(response, new PayloadTooLargeError(MAX_REQUEST_BYTES));
      return;
    }
    const event = toFunctionUrlEvent({
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      rawHeaders: request.rawHeaders,
      body,
      sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      host: request.headers.host ?? 'localhost',
    });
    const context = createLambdaContext(functionName, { timeoutMs: functionTimeoutMs });
    let raw: unknown;
    try {
      raw = await invoke(event, context);
    } catch (error) {
      console.error('local function URL: invoke failed', redactedError(error));
      writeProblem(response, new BadGatewayError('The function failed.'), {
        requestId: context.awsRequestId,
      });
      return;
    }
    const result = FunctionUrlResultSchema.safeParse(raw);
    if (!result.success) {
      // Lambda answers 502 when a function returns something a Function URL cannot use.
      writeProblem(response, new BadGatewayError('The function returned an invalid response.'), {
        requestId: context.awsRequestId,
      });
      return;
    }
    const { statusCode, headers = {}, cookies = [], body: out = '', isBase64Encoded = false } = result.data;
    const outHeaders: Record<string, string | string[]> = {
      'x-content-type-options': 'nosniff',
      ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)])),
    };
    if (cookies.length > 0) outHeaders['set-cookie'] = cookies;
    response.writeHead(statusCode, outHeaders);
    response.end(isBase64Encoded ? Buffer.from(out, 'base64') : out);
  };

  const server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
      // A missing Host is answered by the guard, as problem+json.
      requireHostHeader: false,
    },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        console.error('local function URL: request failed', redactedError(error));
        if (!response.headersSent) writeProblem(response, new BadGatewayError('The request failed.'));
        else response.destroy();
      });
    },
  );
  server.on('clientError', onClientError);
  endUnfinishedRequestsOnClose(server);
  return server;
};

/** Starts listening and resolves with the base URL. */
const listen = (server: Server, port: number, host = '127.0.0.1'): Promise<string> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
    });
  });

export type { RuntimeRoute, ServerTimeouts };
export { createFunctionUrlServer, listen, MAX_REQUEST_BYTES };
