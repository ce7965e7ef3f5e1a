import {
  createLocalPipeline,
  type LocalPipeline,
  type LocalPipelineOptions,
} from '#local/createLocalPipeline.ts';
import { servePipeline } from '#local/servePipeline.ts';
import { createSchema } from './testDatabase.ts';

interface RunningStack {
  url: string;
  pipeline: LocalPipeline;
  stop(): Promise<void>;
}

/**
 * The local stack as `npm start` wires it, on a free port: real HTTP in, the event source polling.
 * Uses DATABASE_URL (in a private schema) when set, else in-memory PGlite.
 */
const startLocalStack = async (options: LocalPipelineOptions = {}): Promise<RunningStack> => {
  const baseUrl = process.env.DATABASE_URL || undefined;
  const schema = baseUrl ? await createSchema(baseUrl) : undefined;
  const pipeline = await createLocalPipeline({ databaseUrl: schema?.url, logLevel: 'SILENT', ...options });
  const server = await servePipeline(pipeline, { port: 0 });
  return {
    url: server.url,
    pipeline,
    stop: async () => {
      await server.close();
      await pipeline.close();
      await schema?.drop();
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
export { eventually, startLocalStack };
