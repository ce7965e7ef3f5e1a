import { setTimeout as delay } from 'node:timers/promises';
import {
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { FunctionStateError } from '../errors.ts';

type PollOptions = {
  timeoutMs: number;
  intervalMs: number;
  /** Injected so tests do not wait in real time. */
  sleep?: (ms: number) => Promise<void>;
};

const describeState = (config: FunctionConfiguration): string =>
  `State=${config.State ?? '?'} LastUpdateStatus=${config.LastUpdateStatus ?? '?'}`;

/**
 * Polls until the function (or one version) is `Active` with its last update `Successful`. A `Failed`
 * state or update stops at once with Lambda's reason; so does the timeout.
 */
const waitForFunction = async (
  client: LambdaClient,
  functionName: string,
  qualifier: string | undefined,
  options: PollOptions,
): Promise<FunctionConfiguration> => {
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const attempts = Math.max(1, Math.ceil(options.timeoutMs / options.intervalMs));
  const target = qualifier ? `${functionName}:${qualifier}` : functionName;
  let last: FunctionConfiguration | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    last = await client.send(
      new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier }),
    );
    if (last.State === 'Failed' || last.LastUpdateStatus === 'Failed') {
      const reason = last.LastUpdateStatusReason ?? last.StateReason ?? 'no reason given';
      throw new FunctionStateError(`${target} failed: ${describeState(last)}: ${reason}`, {
        functionName,
        state: describeState(last),
      });
    }
    const updated = last.LastUpdateStatus === undefined || last.LastUpdateStatus === 'Successful';
    if (last.State === 'Active' && updated) return last;
    if (attempt < attempts) await sleep(options.intervalMs);
  }
  const state = last ? describeState(last) : 'unknown';
  throw new FunctionStateError(`${target} not ready after ${options.timeoutMs} ms: ${state}`, {
    functionName,
    state,
  });
};

export type { PollOptions };
export { waitForFunction };
