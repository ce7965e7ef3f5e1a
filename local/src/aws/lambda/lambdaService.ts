import type { AwsRequest, AwsResponse, AwsService, EndpointFailure } from '../awsService.ts';
import { type ControlPlane, controlPlane } from './controlPlane.ts';
import { type FunctionDefinition, FunctionRegistry, type LambdaBuild } from './functionRegistry.ts';
import { captureProcessOutput } from './invocationLog.ts';
import { invoke } from './invoke.ts';
import { LambdaServiceError, RequestTooLargeError, UnknownOperationError } from './lambdaErrors.ts';

type Operation = (request: AwsRequest, name: string, sub: string) => AwsResponse | Promise<AwsResponse>;

/** The operations by HTTP method and path, as the model's `requestUri`s give them. */
const routes = (
  plane: ControlPlane,
  invokeOperation: Operation,
): { method: string; path: RegExp; operation: Operation }[] => [
  { method: 'POST', path: /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/, operation: invokeOperation },
  { method: 'GET', path: /^\/2015-03-31\/functions\/([^/]+)\/?$/, operation: plane.getFunction },
  {
    method: 'GET',
    path: /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/,
    operation: plane.getFunctionConfiguration,
  },
  { method: 'PUT', path: /^\/2015-03-31\/functions\/([^/]+)\/code\/?$/, operation: plane.updateFunctionCode },
  {
    method: 'POST',
    path: /^\/2015-03-31\/functions\/([^/]+)\/versions\/?$/,
    operation: plane.publishVersion,
  },
  {
    method: 'GET',
    path: /^\/2015-03-31\/functions\/([^/]+)\/versions\/?$/,
    operation: plane.listVersionsByFunction,
  },
  { method: 'POST', path: /^\/2015-03-31\/functions\/([^/]+)\/aliases\/?$/, operation: plane.createAlias },
  {
    method: 'GET',
    path: /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)\/?$/,
    operation: plane.getAlias,
  },
  {
    method: 'PUT',
    path: /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)\/?$/,
    operation: plane.updateAlias,
  },
];

interface LambdaService extends AwsService {
  /** Makes an image URI deployable with UpdateFunctionCode. */
  registerBuild(build: LambdaBuild): void;
  /** Waits for every invocation still running (Event invocations, handlers past their timeout). */
  close(): Promise<void>;
}

/**
 * Lambda over REST-JSON: Invoke and the control-plane calls of `npm run deploy`, over an in-memory registry of
 * the pipeline's functions. Anything else answers `UnknownOperationException`; bad requests get the errors the
 * model names.
 */
const createLambdaService = (
  functions: readonly FunctionDefinition[],
  builds: readonly LambdaBuild[] = [],
): LambdaService => {
  captureProcessOutput();
  const registry = new FunctionRegistry(functions, builds);
  const running = new Set<Promise<unknown>>();
  const background = (run: Promise<unknown>): void => {
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    running.add(settled);
    void settled.then(() => running.delete(settled));
  };
  const table = routes(controlPlane(registry), (request, name) =>
    invoke(registry, request, name, background),
  );

  return {
    name: 'lambda',
    registerBuild: (build) => registry.registerBuild(build),
    handle: async (request) => {
      try {
        for (const { method, path, operation } of table) {
          const match = path.exec(request.path);
          if (match?.[1] !== undefined && request.method === method) {
            return await operation(request, match[1], match[2] ?? '');
          }
        }
        throw new UnknownOperationError(
          `Unknown operation: ${request.method.slice(0, 16)} ${request.path.slice(0, 256)}`,
        );
      } catch (error) {
        if (error instanceof LambdaServiceError) return error.toResponse();
        throw error;
      }
    },
    failure: (_request, failure: EndpointFailure) => {
      switch (failure.kind) {
        case 'too-large':
          return new RequestTooLargeError(failure.message).toResponse();
        case 'unsigned':
          return new LambdaServiceError('MissingAuthenticationTokenException', failure.message).toResponse();
        case 'internal':
          return new LambdaServiceError('ServiceException', failure.message).toResponse();
      }
    },
    close: async () => {
      while (running.size > 0) await Promise.all(running);
    },
  };
};

export type { LambdaService };
export { createLambdaService };
