import type { ApiHandler } from '#api/createApiHandler.ts';
import { openApiDocument } from '#api/openapi/document.ts';
import {
  createLocalPipeline,
  type LocalPipeline,
  type LocalPipelineOptions,
} from '#local/createLocalPipeline.ts';
import { servePipeline } from '#local/servePipeline.ts';
import { OpenApiContract } from './openApiContract.ts';
import { createSchema } from './testDatabase.ts';

interface RunningStack {
  url: string;
  /** The AWS wire endpoint, when started with `{ aws: true }`. */
  awsUrl: string | undefined;
  pipeline: LocalPipeline;
  /** Every answer of the API that departed from docs/openapi.json so far (see `stop`). */
  contractViolations(): string[];
  /** Stops everything; fails if any answer departed from the OpenAPI document. */
  stop(): Promise<void>;
}

const FunctionUrlExchange = {
  request: (event: unknown): { method: string; path: string } => {
    const e = event as { rawPath?: string; requestContext?: { http?: { method?: string } } };
    return { method: e.requestContext?.http?.method ?? '?', path: e.rawPath ?? '?' };
  },
};

/**
 * Wraps the API handler so every answer is checked against the OpenAPI document as it is served:
 * status, headers and body. An undocumented answer is recorded and fails the suite at `stop`.
 */
const checkedAgainstContract = (handler: ApiHandler, violations: string[]): ApiHandler => {
  const contract = new OpenApiContract(openApiDocument());
  return async (event, context) => {
    const result = await handler(event, context);
    const { method, path } = FunctionUrlExchange.request(event);
    const headers = Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
    );
    const found = contract.check({
      method,
      path,
      status: result.statusCode ?? 200,
      headers,
      body: result.body ?? '',
    });
    violations.push(...found.map((v) => `${method} ${path} → ${result.statusCode}: ${v}`));
    return result;
  };
};

/**
 * The local stack as `npm start` wires it, on a free port: real HTTP in, the event source polling.
 * Uses DATABASE_URL (in a private schema) when set, else in-memory PGlite. Every API answer is held
 * to the OpenAPI document.
 */
const startLocalStack = async ({
  aws = false,
  ...options
}: LocalPipelineOptions & { aws?: boolean } = {}): Promise<RunningStack> => {
  const baseUrl = process.env.DATABASE_URL || undefined;
  const schema = baseUrl ? await createSchema(baseUrl) : undefined;
  const pipeline = await createLocalPipeline({ databaseUrl: schema?.url, logLevel: 'SILENT', ...options });
  const violations: string[] = [];
  const server = await servePipeline(
    { ...pipeline, apiHandler: checkedAgainstContract(pipeline.apiHandler, violations) },
    { port: 0, ...(aws && { awsPort: 0 }) },
  );
  return {
    url: server.url,
    awsUrl: server.awsUrl,
    pipeline,
    contractViolations: () => [...violations],
    stop: async () => {
      await server.close();
      await pipeline.close();
      await schema?.drop();
      if (violations.length > 0) {
        throw new Error(`Answers that depart from the OpenAPI document:\n${violations.join('\n')}`);
      }
    },
  };
};

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
const eventually = async <T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

export type { RunningStack };
export { checkedAgainstContract, eventually, startLocalStack };
