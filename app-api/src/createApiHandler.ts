import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type ApiDependencies, createApiApp } from './apiApp.ts';
import { toFunctionUrlResult, toHttpRequest } from './http/functionUrlAdapter.ts';
import { problemResponse } from './http/problems.ts';

/** Function URL results share API Gateway v2's structured shape; we never return the bare-string form. */
type ApiHandler = (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** Wraps the app for Lambda: Function URL event in, Function URL result out. */
const createApiHandler = (deps: ApiDependencies): ApiHandler => {
  const app = createApiApp(deps);
  return async (event, context) => {
    deps.logger.addContext(context);
    try {
      return toFunctionUrlResult(await app(toHttpRequest(event, context)));
    } catch (error) {
      // Only a malformed event gets here; still answer like HTTP so no stack trace escapes.
      deps.logger.warn('Rejected invocation', { error });
      return toFunctionUrlResult(problemResponse(error, context.awsRequestId));
    } finally {
      deps.metrics.flush();
    }
  };
};

export type { ApiHandler };
export { createApiHandler };
