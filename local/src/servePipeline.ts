import { createAwsEndpoint } from './aws/awsEndpoint.ts';
import { createAwsServices } from './aws/awsServices.ts';
import { createLocalConsole } from './console/consoleRoutes.ts';
import type { LocalPipeline } from './createLocalPipeline.ts';
import { createFunctionUrlServer, listen } from './functionUrlServer.ts';
import { runtimeRoutes } from './runtimeRoutes.ts';

interface ServedPipeline {
  url: string;
  /** The AWS wire endpoint (Lambda, SQS, SNS), when one was asked for. */
  awsUrl: string | undefined;
  /** Stops accepting requests; the pipeline itself keeps running until it is closed. */
  close(): Promise<void>;
}

/** Puts the API behind the Function URL server (with the /_local routes and the console) and starts the event source. */
const servePipeline = async (
  pipeline: LocalPipeline,
  { port, host, awsPort }: { port: number; host?: string; awsPort?: number },
): Promise<ServedPipeline> => {
  const localConsole = createLocalConsole(pipeline);
  const server = createFunctionUrlServer({
    invoke: pipeline.apiHandler,
    functionName: 'ingesta-api',
    runtimeRoutes: runtimeRoutes(pipeline.queue, pipeline.dlq, pipeline.metrics.registry, localConsole.route),
    hosts: host === undefined ? [] : [host],
  });
  const url = await listen(server, port, host);
  const services = awsPort === undefined ? [] : createAwsServices(pipeline);
  const aws =
    awsPort === undefined
      ? undefined
      : createAwsEndpoint({ services, hosts: host === undefined ? [] : [host] });
  const awsUrl =
    aws === undefined
      ? undefined
      : await listen(aws, awsPort ?? 0, host).catch((error: unknown) => {
          server.close();
          throw error;
        });
  pipeline.eventSource.start();
  const closeServer = (s: typeof server) => new Promise<void>((resolve) => s.close(() => resolve()));
  return {
    url,
    awsUrl,
    close: async () => {
      // Live console streams would hold the server open.
      localConsole.close();
      await Promise.all([closeServer(server), ...(aws === undefined ? [] : [closeServer(aws)])]);
      // Work answered before it finished (Event invocations) ends before the pipeline closes its database.
      await Promise.all(services.map((service) => service.close?.()));
    },
  };
};

export type { ServedPipeline };
export { servePipeline };
