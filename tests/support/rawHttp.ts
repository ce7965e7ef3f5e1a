import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

interface RawResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

interface RequestOptions {
  method?: string;
  path?: string;
  /** Sent as given, Host included: fetch() would not let a test forge Host. */
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Fails the request (AbortError) if the whole answer has not arrived by then. */
  timeoutMs?: number;
}

/**
 * One HTTP request with full control of its headers, on a fresh connection. The path goes on the wire as
 * given: no URL normalisation, so dot segments, `//` and odd encodings reach the server as sent.
 */
const send = (
  baseUrl: string,
  { method = 'GET', path = '/', headers = {}, body, timeoutMs }: RequestOptions = {},
) =>
  new Promise<RawResponse>((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    const target = {
      host: hostname.replace(/^\[|\]$/g, ''),
      port,
      path,
      method,
      headers,
      agent: false,
      ...(timeoutMs !== undefined && { signal: AbortSignal.timeout(timeoutMs) }),
    };
    const req = httpRequest(target, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: Object.fromEntries(
            Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
          ),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });

/**
 * Writes bytes on a raw socket (malformed or unfinished requests) and resolves with what the server
 * answered once it closes the connection. `write` may keep the request unfinished to test timeouts.
 */
const exchange = (baseUrl: string, bytes: string | Buffer) =>
  new Promise<RawResponse>((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const split = raw.indexOf('\r\n\r\n');
      const [statusLine = '', ...headerLines] = raw.slice(0, split === -1 ? raw.length : split).split('\r\n');
      resolve({
        status: Number(statusLine.split(' ')[1] ?? 0),
        headers: Object.fromEntries(
          headerLines.map((line) => {
            const colon = line.indexOf(':');
            return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
          }),
        ),
        body: split === -1 ? '' : raw.slice(split + 4),
      });
    });
    socket.write(bytes);
  });

export type { RawResponse, RequestOptions };
export { exchange, send };
