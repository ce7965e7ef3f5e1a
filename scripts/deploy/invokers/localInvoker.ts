import type { Context } from 'aws-lambda';
import { createLambdaContext } from '#local/lambdaContext.ts';
import type { InvokeResult, Invoker } from '../types.ts';

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** What Lambda's Node.js runtime reports when a handler throws. */
const describeThrown = (error: unknown): { errorType: string; errorMessage: string; trace: string[] } => {
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n').filter(Boolean),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
};

/**
 * Calls a handler in-process with Lambda's invoke semantics: the event and the result cross a JSON
 * boundary, and a thrown error is still a 200 invoke with `FunctionError: "Unhandled"`.
 */
class LocalInvoker implements Invoker {
  readonly target: string;
  readonly #functionName: string;
  readonly #handler: LambdaHandler;

  constructor(functionName: string, handler: LambdaHandler) {
    this.target = `local:${functionName}`;
    this.#functionName = functionName;
    this.#handler = handler;
  }

  async invoke(payload: unknown): Promise<InvokeResult> {
    const event: unknown = JSON.parse(JSON.stringify(payload ?? null));
    const context = createLambdaContext(this.#functionName);
    try {
      const result = await this.#handler(event, context);
      return { statusCode: 200, payload: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
    } catch (error) {
      return { statusCode: 200, functionError: 'Unhandled', payload: describeThrown(error) };
    }
  }
}

export type { LambdaHandler };
export { LocalInvoker };
