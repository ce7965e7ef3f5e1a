import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { invocationBudgetMs } from '#shared/lambda/deadline.ts';
import { type ApiDependencies, createApiApp } from './apiApp.ts';
import { toFunctionUrlResult, toHttpRequest } from './http/functionUrlAdapter.ts';
import { problemResponse } from './http/problems.ts';

/** Function URL results share API Gateway v2's structured shape; we never return the bare-string form. */
type ApiHandler = (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

interface ApiHandlerOptions {
  /** API_DEADLINE_MS: the longest a request may take; Lambda's remaining time (less a margin) bounds it too. */
  deadlineMs?: number | undefined;
}

/**
 * Wraps the app for Lambda: Function URL event in, Function URL result out. Every request gets a deadline
 * before Lambda's timeout, so a database that takes too long to answer (resuming from a pause) yields a 503
 * problem with Retry-After rather than a timed-out invocation.
 */
const createApiHandler = (deps: ApiDependencies, { deadlineMs }: ApiHandlerOptions = {}): ApiHandler => {
  const app = createApiApp(deps);
  return async (event, context) => {
    deps.logger.addContext(context);
    try {
      const budget = invocationBudgetMs(context, { capMs: deadlineMs });
      return toFunctionUrlResult(await app({ ...toHttpRequest(event, context), deadlineMs: budget }));
    } catch (error) {
      // Only a malformed event gets here; still answer like HTTP so no stack trace escapes.
      deps.logger.warn('Rejected invocation', { error });
      return toFunctionUrlResult(problemResponse(error, context.awsRequestId));
    } finally {
      deps.metrics.flush();
    }
  };
};

export type { ApiHandler, ApiHandlerOptions };
export { createApiHandler };
