/** What a Lambda Invoke returns, reduced to what the checks read. */
type InvokeResult = {
  /** Lambda's invoke status: 200 for a synchronous invoke that reached the function. */
  statusCode: number;
  /** Set when the function threw (`Unhandled`) or returned an error (`Handled`). */
  functionError?: string;
  /** The function's response, JSON-decoded. */
  payload: unknown;
};

/**
 * Invokes one function with a JSON payload. The same checks run against a deployed version
 * (Lambda Invoke), the local handlers (in-process) and a Function URL (HTTP).
 */
interface Invoker {
  /** Human-readable name of what is invoked, e.g. `ingesta-api:12`. */
  readonly target: string;
  invoke(payload: unknown): Promise<InvokeResult>;
}

/** Which suite a function gets: they differ in the events they accept. */
type FunctionKind = 'api' | 'suscriptor';

export type { FunctionKind, InvokeResult, Invoker };
