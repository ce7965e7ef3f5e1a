import type { LambdaHandler } from './localInvoker.ts';

/** The shape `local/src/createLocalPipeline.ts` exports (see the shared contract). */
type LocalPipeline = {
  apiHandler: LambdaHandler;
  subscriberHandler: LambdaHandler;
  close(): Promise<void>;
};

type LocalPipelineOptions = { databaseUrl?: string; dataDir?: string };

type LocalPipelineModule = {
  createLocalPipeline(options?: LocalPipelineOptions): Promise<LocalPipeline>;
};

// Loaded on demand: only `--local` needs it, and it pulls in PGlite.
const LOCAL_PIPELINE_MODULE = new URL('../../../local/src/createLocalPipeline.ts', import.meta.url).href;

/** Builds the local handlers in-process; omit `databaseUrl` for in-memory PGlite. */
const createLocalPipeline = async (options: LocalPipelineOptions = {}): Promise<LocalPipeline> => {
  const module = (await import(LOCAL_PIPELINE_MODULE)) as LocalPipelineModule;
  return module.createLocalPipeline(options);
};

export type { LocalPipeline, LocalPipelineOptions };
export { createLocalPipeline };
