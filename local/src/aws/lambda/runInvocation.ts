import { createLambdaContext } from '#local/lambdaContext.ts';
import type { FunctionRecord, VersionRecord } from './functionRegistry.ts';
import { InvocationLog, withInvocationLog } from './invocationLog.ts';

/** Lambda's synchronous response limit, as for the request. */
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

/** One invocation of one version, as the service resolved it. */
interface Invocation {
  fn: FunctionRecord;
  version: VersionRecord;
  /** The ARN as the caller named it (with its qualifier), for the context. */
  invokedFunctionArn: string;
  requestId: string;
  region: string;
  event: unknown;
}

interface InvocationOutcome {
  /** The handler's result as JSON, or the error document. */
  payload: string;
  /** `Unhandled` when the handler threw, timed out or returned what cannot be sent back. */
  functionError: 'Unhandled' | undefined;
  log: InvocationLog;
}

/** The error document Lambda's Node.js runtime returns for a thrown error. */
const errorDocument = (error: unknown): { errorType: string; errorMessage: string; trace: string[] } =>
  error instanceof Error
    ? { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') }
    : { errorType: typeof error, errorMessage: String(error), trace: [] };

// These two are named with the errorType Lambda's runtime reports, which the error document carries.
class FunctionTimeoutError extends Error {
  constructor(requestId: string, seconds: number) {
    super(`RequestId: ${requestId} Error: Task timed out after ${seconds.toFixed(2)} seconds`);
    this.name = 'Sandbox.Timedout';
  }
}

class ResponseSizeTooLargeError extends Error {
  constructor(bytes: number) {
    super(
      `Response payload size (${bytes} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
    );
    this.name = 'Function.ResponseSizeTooLarge';
  }
}

/** Rejects after the function's timeout; the handler itself cannot be stopped in-process and runs on. */
const deadline = (requestId: string, seconds: number): { expired: Promise<never>; clear(): void } => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FunctionTimeoutError(requestId, seconds)), seconds * 1000);
  });
  return { expired, clear: () => clearTimeout(timer) };
};

const serialise = (result: unknown): string => {
  const json = JSON.stringify(result === undefined ? null : result) ?? 'null';
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_RESPONSE_BYTES) throw new ResponseSizeTooLargeError(bytes);
  return json;
};

/**
 * Runs one invocation in-process as Lambda would: a real-shaped context whose remaining time counts down from the
 * function's timeout, the log framed by START/END/REPORT lines, a thrown error (or the timeout) turned into the
 * error document. `track` is handed the handler's own promise, which may outlive a timed-out invocation.
 */
const runInvocation = async (
  invocation: Invocation,
  track: (running: Promise<unknown>) => void,
): Promise<InvocationOutcome> => {
  const { fn, version, requestId } = invocation;
  const log = new InvocationLog();
  const context = createLambdaContext(fn.name, {
    timeoutMs: fn.timeoutSeconds * 1000,
    memoryMb: fn.memorySize,
    region: invocation.region,
    functionVersion: version.version,
    invokedFunctionArn: invocation.invokedFunctionArn,
    requestId,
  });
  const started = performance.now();
  log.append(`START RequestId: ${requestId} Version: ${version.version}\n`);
  // async: a handler that throws before returning a promise fails the invocation, not the request.
  const running = withInvocationLog(log, async () => version.handler(invocation.event, context));
  track(running);
  const timer = deadline(requestId, fn.timeoutSeconds);
  let outcome: { payload: string; functionError: 'Unhandled' | undefined };
  try {
    outcome = { payload: serialise(await Promise.race([running, timer.expired])), functionError: undefined };
  } catch (error) {
    const document = errorDocument(error);
    log.append(
      `${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(document)}\n`,
    );
    outcome = { payload: JSON.stringify(document), functionError: 'Unhandled' };
  } finally {
    timer.clear();
  }
  const duration = performance.now() - started;
  const usedMb = Math.round(process.memoryUsage().rss / (1024 * 1024));
  log.append(`END RequestId: ${requestId}\n`);
  log.append(
    `REPORT RequestId: ${requestId}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration)} ms\tMemory Size: ${fn.memorySize} MB\tMax Memory Used: ${usedMb} MB\t\n`,
  );
  return { ...outcome, log };
};

export type { Invocation, InvocationOutcome };
export { errorDocument, runInvocation };
