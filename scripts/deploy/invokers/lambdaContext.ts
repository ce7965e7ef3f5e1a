import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

type LambdaContextOptions = {
  functionName: string;
  qualifier?: string;
  timeoutMs?: number;
  memoryMb?: number;
};

/** A Context like the one Lambda hands a Node.js handler, for invoking handlers in-process. */
const createLambdaContext = (options: LambdaContextOptions): Context => {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const requestId = randomUUID();
  const qualifier = options.qualifier ?? '$LATEST';
  const unsupported = (): never => {
    throw new Error('Callback-style completion is not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: qualifier,
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${options.functionName}:${qualifier}`,
    memoryLimitInMB: String(options.memoryMb ?? 512),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};

export type { LambdaContextOptions };
export { createLambdaContext };
