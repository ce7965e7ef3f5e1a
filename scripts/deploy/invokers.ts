import { Sha256 } from '@aws-crypto/sha256-js';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Provider } from '@smithy/types';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { createLambdaContext } from '#local/lambdaContext.ts';
import { SmokeCheckError, UsageError } from './errors.ts';
import { toFunctionUrlResult } from './functionUrlEvents.ts';

/** What a Lambda Invoke returns, reduced to what the checks read. */
type InvokeResult = {
  /** Lambda's invoke status: 200 for a synchronous invoke that reached the function. */
  statusCode: number;
  /** Set when the function threw (`Unhandled`) or returned an error (`Handled`). */
  functionError?: string;
  /** The function's response, JSON-decoded. */
  payload: unknown;
};

/**
 * Invokes one function with a JSON payload. The same checks run against a deployed version
 * (Lambda Invoke), the local handlers (in-process) and a Function URL (HTTP).
 */
interface Invoker {
  /** Human-readable name of what is invoked, e.g. `ingesta-api:12`. */
  readonly target: string;
  invoke(payload: unknown): Promise<InvokeResult>;
}

/** A function name or ARN split from its qualifier (version or alias). */
type FunctionRef = { functionName: string; qualifier?: string };

const ARN_PARTS_WITHOUT_QUALIFIER = 7;

/**
 * Parses `name`, `name:qualifier`, `arn:aws:lambda:region:account:function:name` and the same ARN
 * with `:qualifier`. Lambda refuses a qualifier in both the name and the `Qualifier` field, so the
 * two are split here.
 */
const parseFunctionRef = (ref: string): FunctionRef => {
  const parts = ref.split(':');
  if (ref.startsWith('arn:')) {
    if (parts.length < ARN_PARTS_WITHOUT_QUALIFIER || parts.length > ARN_PARTS_WITHOUT_QUALIFIER + 1) {
      throw new UsageError(`Not a Lambda function ARN: ${ref}`);
    }
    const functionName = parts.slice(0, ARN_PARTS_WITHOUT_QUALIFIER).join(':');
    const qualifier = parts[ARN_PARTS_WITHOUT_QUALIFIER];
    return qualifier ? { functionName, qualifier } : { functionName };
  }
  const [functionName, qualifier, ...rest] = parts;
  if (!functionName || rest.length > 0 || qualifier === '') {
    throw new UsageError(`Expected <name>, <name>:<qualifier> or a function ARN, got: ${ref}`);
  }
  return qualifier ? { functionName, qualifier } : { functionName };
};

/** The bare function name, which says which suite applies (`…-api`, `…-suscriptor`). */
const baseFunctionName = (ref: FunctionRef): string => ref.functionName.split(':').at(-1) ?? ref.functionName;

const formatFunctionRef = (ref: FunctionRef): string =>
  ref.qualifier ? `${ref.functionName}:${ref.qualifier}` : ref.functionName;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Lambda returns the handler's JSON; a non-JSON payload is kept as text so a report can show it. */
const decodePayload = (bytes: Uint8Array | undefined): unknown => {
  if (!bytes || bytes.byteLength === 0) return null;
  const text = decoder.decode(bytes);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Invokes a deployed function (synchronously) at the qualifier under test. */
class LambdaInvoker implements Invoker {
  readonly target: string;
  readonly #client: LambdaClient;
  readonly #ref: FunctionRef;

  constructor(client: LambdaClient, ref: FunctionRef) {
    this.#client = client;
    this.#ref = ref;
    this.target = formatFunctionRef(ref);
  }

  async invoke(payload: unknown): Promise<InvokeResult> {
    const output = await this.#client.send(
      new InvokeCommand({
        FunctionName: this.#ref.functionName,
        Qualifier: this.#ref.qualifier,
        InvocationType: 'RequestResponse',
        Payload: encoder.encode(JSON.stringify(payload)),
      }),
    );
    const result: InvokeResult = {
      statusCode: output.StatusCode ?? 0,
      payload: decodePayload(output.Payload),
    };
    if (output.FunctionError) result.functionError = output.FunctionError;
    return result;
  }
}

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** What Lambda's Node.js runtime reports when a handler throws. */
const describeThrown = (error: unknown): { errorType: string; errorMessage: string; trace: string[] } => {
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n').filter(Boolean),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
};

/**
 * Calls a handler in-process with Lambda's invoke semantics: the event and the result cross a JSON
 * boundary, and a thrown error is still a 200 invoke with `FunctionError: "Unhandled"`.
 */
class LocalInvoker implements Invoker {
  readonly target: string;
  readonly #functionName: string;
  readonly #handler: LambdaHandler;

  constructor(functionName: string, handler: LambdaHandler) {
    this.target = `local:${functionName}`;
    this.#functionName = functionName;
    this.#handler = handler;
  }

  async invoke(payload: unknown): Promise<InvokeResult> {
    const event: unknown = JSON.parse(JSON.stringify(payload ?? null));
    const context = createLambdaContext(this.#functionName);
    try {
      const result = await this.#handler(event, context);
      return { statusCode: 200, payload: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
    } catch (error) {
      return { statusCode: 200, functionError: 'Unhandled', payload: describeThrown(error) };
    }
  }
}

/** What the smoke test uses of `local/src/createLocalPipeline.ts` (see the shared contract). */
type LocalPipeline = {
  apiHandler: LambdaHandler;
  subscriberHandler: LambdaHandler;
  close(): Promise<void>;
};

type LocalPipelineOptions = { databaseUrl?: string; dataDir?: string };

/**
 * Builds the local handlers in-process (in-memory PGlite unless `databaseUrl` is given) with the
 * queue → subscriber event source running, as the deployed mapping always is, so the end-to-end
 * check can see a posted user arrive.
 */
const createLocalPipeline = async (options: LocalPipelineOptions = {}): Promise<LocalPipeline> => {
  // Loaded on demand: only `--local` needs it, and it pulls in PGlite.
  const local = await import('#local/createLocalPipeline.ts');
  // The smoke's invalid record is rejected on purpose; its warning would only clutter the report.
  const pipeline = await local.createLocalPipeline({ ...options, logLevel: 'ERROR' });
  pipeline.eventSource.start();
  return pipeline;
};

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

/** `https://<id>.lambda-url.<region>.on.aws/` → `<region>`. */
const regionFromFunctionUrl = (url: string): string | undefined =>
  /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(new URL(url).hostname)?.[1];

/** A SigV4 signer for Function URLs whose auth type is `AWS_IAM`. */
const createFunctionUrlSigner = (
  url: string,
  credentials: AwsCredentialIdentity | Provider<AwsCredentialIdentity>,
  region?: string,
): SignatureV4 => {
  const resolvedRegion = region ?? regionFromFunctionUrl(url);
  if (!resolvedRegion) throw new UsageError(`Cannot tell the region of ${url}; pass --region`);
  return new SignatureV4({ service: 'lambda', region: resolvedRegion, credentials, sha256: Sha256 });
};

export type {
  FunctionRef,
  HttpInvokerOptions,
  InvokeResult,
  Invoker,
  LambdaHandler,
  LocalPipeline,
  LocalPipelineOptions,
};
export {
  baseFunctionName,
  createFunctionUrlSigner,
  createLocalPipeline,
  HttpInvoker,
  LambdaInvoker,
  LocalInvoker,
  parseFunctionRef,
  regionFromFunctionUrl,
};
