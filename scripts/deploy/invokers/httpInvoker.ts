import type { SignatureV4 } from '@smithy/signature-v4';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { SmokeCheckError } from '../errors.ts';
import { toFunctionUrlResult } from '../events/functionUrlResult.ts';
import type { InvokeResult, Invoker } from '../types.ts';

type Fetch = typeof fetch;

/** Headers the event carries because Lambda adds them; the HTTP client sets its own. */
const TRANSPORT_HEADERS = new Set(['host', 'content-length', 'x-forwarded-proto', 'x-forwarded-for']);

type HttpInvokerOptions = {
  /** Signs each request with SigV4 (service `lambda`) when the URL's auth type is `AWS_IAM`. */
  signer?: SignatureV4;
  fetch?: Fetch;
  timeoutMs?: number;
};

/**
 * Sends the request a Function URL event describes to the real Function URL, and returns the
 * response as the function's result, so the API checks run unchanged over HTTP.
 */
class HttpInvoker implements Invoker {
  readonly target: string;
  readonly #baseUrl: URL;
  readonly #options: HttpInvokerOptions;

  constructor(url: string, options: HttpInvokerOptions = {}) {
    this.#baseUrl = new URL(url);
    this.#options = options;
    this.target = `${this.#baseUrl.origin}${options.signer ? ' (SigV4)' : ''}`;
  }

  async invoke(payload: unknown): Promise<InvokeResult> {
    const event = payload as Partial<LambdaFunctionURLEvent>;
    const method = event.requestContext?.http.method;
    if (!method || typeof event.rawPath !== 'string') {
      throw new SmokeCheckError('The HTTP transport only carries Function URL events');
    }
    const url = new URL(event.rawPath, this.#baseUrl);
    url.search = event.rawQueryString ?? '';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(event.headers ?? {})) {
      if (value !== undefined && !TRANSPORT_HEADERS.has(name)) headers[name] = value;
    }
    const body = event.body;
    const signed = await this.#sign(url, method, headers, body);

    const response = await (this.#options.fetch ?? fetch)(url, {
      method,
      headers: signed,
      body,
      signal: AbortSignal.timeout(this.#options.timeoutMs ?? 30_000),
    });
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    return {
      statusCode: 200,
      payload: toFunctionUrlResult({
        statusCode: response.status,
        headers: responseHeaders,
        body: await response.text(),
      }),
    };
  }

  async #sign(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Record<string, string>> {
    if (!this.#options.signer) return headers;
    const signed = await this.#options.signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...headers, host: url.host },
      body,
    });
    // fetch sets Host itself and refuses to take it from the caller.
    const { host: _host, ...rest } = signed.headers;
    return rest;
  }
}

export type { HttpInvokerOptions };
export { HttpInvoker };
