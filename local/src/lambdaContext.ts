import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

interface LambdaContextOptions {
  timeoutMs?: number;
  memoryMb?: number;
  region?: string;
  /** The version that runs (`$LATEST` or a number). */
  functionVersion?: string;
  /** The ARN the caller invoked, with its qualifier if it gave one. */
  invokedFunctionArn?: string;
  requestId?: string;
}

/** A Lambda Context for in-process invokes, with a real deadline. */
const createLambdaContext = (
  functionName: string,
  {
    timeoutMs = 30_000,
    memoryMb = 512,
    region = 'us-east-1',
    functionVersion = '$LATEST',
    invokedFunctionArn = `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    requestId = randomUUID(),
  }: LambdaContextOptions = {},
): Context => {
  const deadline = Date.now() + timeoutMs;
  const unsupported = (): never => {
    throw new Error('Callback-style completion is not supported; return a promise.');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion,
    invokedFunctionArn,
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

export type { LambdaContextOptions };
export { createLambdaContext };
