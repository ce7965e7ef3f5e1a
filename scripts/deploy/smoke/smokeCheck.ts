import { SmokeCheckError } from '../errors.ts';
import type { InvokeResult, Invoker } from '../types.ts';

/** One named check; `run` returns a one-line detail for the report or throws SmokeCheckError. */
type SmokeCheck = {
  name: string;
  run(invoker: Invoker): Promise<string>;
};

/** Every check first requires a clean invoke: StatusCode 200 and no FunctionError. */
const expectInvocationOk = (invocation: InvokeResult): void => {
  if (invocation.statusCode !== 200) {
    throw new SmokeCheckError(`Invoke StatusCode ${invocation.statusCode}, expected 200`, invocation);
  }
  if (invocation.functionError) {
    throw new SmokeCheckError(`FunctionError ${invocation.functionError}`, invocation);
  }
};

export type { SmokeCheck };
export { expectInvocationOk };
