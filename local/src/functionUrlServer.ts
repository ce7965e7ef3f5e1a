import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { toFunctionUrlEvent } from './functionUrlEvent.ts';
import { createLambdaContext } from './lambdaContext.ts';

/** Lambda's invoke payload limit; a Function URL refuses larger requests before the function runs. */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

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
}

const readBody = (request: IncomingMessage, limit: number): Promise<Buffer | null> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    request.on('error', reject);
  });

const sendText = (response: ServerResponse, status: number, message: string): void => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ message }));
};

/** An HTTP server that turns each request into a Function URL event for the same handler Lambda runs. */
const createFunctionUrlServer = ({
  invoke,
  functionName,
  runtimeRoutes,
  functionTimeoutMs = 30_000,
}: FunctionUrlServerOptions): Server =>
  createServer(async (request, response) => {
    try {
      if (runtimeRoutes && (await runtimeRoutes(request, response))) return;
      const body = await readBody(request, MAX_REQUEST_BYTES);
      if (body === null) {
        sendText(response, 413, 'Request Entity Too Large');
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
      const raw = await invoke(event, createLambdaContext(functionName, { timeoutMs: functionTimeoutMs }));
      const result = FunctionUrlResultSchema.safeParse(raw);
      if (!result.success) {
        // Lambda answers 502 when a function returns something a Function URL cannot use.
        sendText(response, 502, 'Bad Gateway: the function returned an invalid response');
        return;
      }
      const { statusCode, headers = {}, cookies = [], body: out = '', isBase64Encoded = false } = result.data;
      const outHeaders: Record<string, string | string[]> = Object.fromEntries(
        Object.entries(headers).map(([k, v]) => [k, String(v)]),
      );
      if (cookies.length > 0) outHeaders['set-cookie'] = cookies;
      response.writeHead(statusCode, outHeaders);
      response.end(isBase64Encoded ? Buffer.from(out, 'base64') : out);
    } catch (error) {
      console.error('local function URL: invoke failed', error);
      if (!response.headersSent) sendText(response, 502, 'Bad Gateway: the function failed');
      else response.end();
    }
  });

/** Starts listening and resolves with the base URL. */
const listen = (server: Server, port: number, host = '127.0.0.1'): Promise<string> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve(`http://${host}:${address.port}`);
    });
  });

export type { RuntimeRoute };
export { createFunctionUrlServer, listen, MAX_REQUEST_BYTES };
