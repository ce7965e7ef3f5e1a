import { createLocalConsole } from './console/consoleRoutes.ts';
import type { LocalPipeline } from './createLocalPipeline.ts';
import { createFunctionUrlServer, listen } from './functionUrlServer.ts';
import { runtimeRoutes } from './runtimeRoutes.ts';

interface ServedPipeline {
  url: string;
  /** Stops accepting requests; the pipeline itself keeps running until it is closed. */
  close(): Promise<void>;
}

/** Puts the API behind the Function URL server (with the /_local routes and the console) and starts the event source. */
const servePipeline = async (
  pipeline: LocalPipeline,
  { port, host }: { port: number; host?: string },
): Promise<ServedPipeline> => {
  const localConsole = createLocalConsole(pipeline);
  const server = createFunctionUrlServer({
    invoke: pipeline.apiHandler,
    functionName: 'ingesta-api',
    runtimeRoutes: runtimeRoutes(pipeline.queue, pipeline.dlq, pipeline.metrics.registry, localConsole.route),
    hosts: host === undefined ? [] : [host],
  });
  const url = await listen(server, port, host);
  pipeline.eventSource.start();
  return {
    url,
    close: () => {
      // Live console streams would hold the server open.
      localConsole.close();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

export type { ServedPipeline };
export { servePipeline };
