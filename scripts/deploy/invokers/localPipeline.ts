import type { LambdaHandler } from './localInvoker.ts';

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

export type { LocalPipeline, LocalPipelineOptions };
export { createLocalPipeline };
