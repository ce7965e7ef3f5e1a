import { SmokeCheckError } from '../errors.ts';
import { buildFunctionUrlEvent } from '../events/functionUrlEvent.ts';
import { parseFunctionUrlResult } from '../events/functionUrlResult.ts';
import type { HttpRequest, HttpResponse } from '../events/httpRequest.ts';
import type { InvokeResult, Invoker } from '../types.ts';
import { expectInvocationOk } from './smokeCheck.ts';

type ApiExchange = { response: HttpResponse; json: unknown; invocation: InvokeResult };

/** Sends one request to the API as a Function URL event and reads the Function URL result. */
const requestApi = async (invoker: Invoker, request: HttpRequest): Promise<ApiExchange> => {
  const invocation = await invoker.invoke(buildFunctionUrlEvent(request));
  expectInvocationOk(invocation);
  const response = parseFunctionUrlResult(invocation.payload);
  let json: unknown;
  try {
    json = response.body === '' ? undefined : JSON.parse(response.body);
  } catch {
    json = undefined;
  }
  return { response, json, invocation };
};

/** Fails the check unless the API answered with `expected`. */
const expectHttpStatus = (exchange: ApiExchange, expected: number): void => {
  if (exchange.response.statusCode !== expected) {
    throw new SmokeCheckError(
      `HTTP ${exchange.response.statusCode}, expected ${expected}`,
      exchange.invocation,
    );
  }
};

export type { ApiExchange };
export { expectHttpStatus, requestApi };
