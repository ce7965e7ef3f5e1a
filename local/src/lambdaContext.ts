import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** A Lambda Context for in-process invokes, with a real deadline. */
const createLambdaContext = (
  functionName: string,
  { timeoutMs = 30_000, memoryMb = 512, region = 'us-east-1' } = {},
): Context => {
  const deadline = Date.now() + timeoutMs;
  const requestId = randomUUID();
  const unsupported = (): never => {
    throw new Error('Callback-style completion is not supported; return a promise.');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};

export { createLambdaContext };
