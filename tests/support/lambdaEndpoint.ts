import { setTimeout as delay } from 'node:timers/promises';
import {
  type InvocationResponse,
  LambdaClient,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import type { LambdaBuild } from '#local/aws/lambda/functionRegistry.ts';
import { DEFAULT_IMAGES } from '#local/aws/lambda/pipelineFunctions.ts';
import type { LocalPipelineOptions } from '#local/createLocalPipeline.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { DUMMY_CREDENTIALS } from './awsSdk.ts';
import { type RunningStack, startLocalStack } from './localStack.ts';
import type { Backend } from './testDatabase.ts';

/** The real SDK client, pointed at the local endpoint, with no retries so an error shows as it was sent. */
const lambdaClient = (awsUrl: string | undefined, region = 'eu-west-1'): LambdaClient => {
  if (awsUrl === undefined) throw new Error('the stack was started without the AWS endpoint');
  return new LambdaClient({ endpoint: awsUrl, region, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
};

/** The environment a child process needs to reach the endpoint the way it would reach AWS. */
const endpointEnvironment = (awsUrl: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  AWS_ENDPOINT_URL: awsUrl,
  AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'eu-west-1',
  // Nothing from this machine's AWS configuration may leak in.
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
});

/** A build whose every answer is a 500: it fails the API smoke check. */
const BROKEN_API_BUILD: LambdaBuild = {
  imageUri: 'ingesta-api:broken',
  handler: async () => ({
    statusCode: 500,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500 }),
  }),
};

/** What the probe build does, as its event says. */
interface ProbeEvent {
  /** Lines logged at INFO (Powertools, to stdout), one per tick. */
  log?: string[];
  sleepMs?: number;
  throw?: string;
}

const probeLogger = createLogger('probe', 'INFO');

/** A build that reports the context it was given, logs, sleeps or throws as asked. */
const PROBE_BUILD: LambdaBuild = {
  imageUri: 'test/probe:1',
  handler: async (event: unknown, context: Context) => {
    const probe = event as ProbeEvent;
    for (const line of probe.log ?? []) {
      probeLogger.info(line);
      await delay(5);
    }
    if (probe.sleepMs !== undefined) await delay(probe.sleepMs);
    if (probe.throw !== undefined) throw new TypeError(probe.throw);
    return {
      functionName: context.functionName,
      functionVersion: context.functionVersion,
      invokedFunctionArn: context.invokedFunctionArn,
      awsRequestId: context.awsRequestId,
      memoryLimitInMB: context.memoryLimitInMB,
      remainingTimeInMillis: context.getRemainingTimeInMillis(),
    };
  },
};

/**
 * The local stack with the AWS endpoint on `backend`: PGlite in memory, or a private schema of DATABASE_URL.
 * The test builds above are deployable.
 */
const startLambdaStack = (backend: Backend, options: LocalPipelineOptions = {}): Promise<RunningStack> =>
  startLocalStack({
    aws: true,
    ...options,
    lambda: { ...options.lambda, builds: [BROKEN_API_BUILD, PROBE_BUILD, ...(options.lambda?.builds ?? [])] },
    ...(backend.name === 'PGlite' && { databaseUrl: undefined }),
  });

/**
 * Publishes `imageUri` as a new version of `functionName`, then puts `$LATEST` back on the default build, so
 * the version runs the build while the function otherwise stays as it was.
 */
const publishBuild = async (
  client: LambdaClient,
  functionName: string,
  imageUri: string,
): Promise<string> => {
  const updated = await client.send(
    new UpdateFunctionCodeCommand({ FunctionName: functionName, ImageUri: imageUri }),
  );
  const published = await client.send(
    new PublishVersionCommand({ FunctionName: functionName, CodeSha256: updated.CodeSha256 }),
  );
  const defaultImage = functionName.endsWith('-api') ? DEFAULT_IMAGES.api : DEFAULT_IMAGES.suscriptor;
  await client.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ImageUri: defaultImage }));
  if (published.Version === undefined) throw new Error('PublishVersion returned no version');
  return published.Version;
};

const payloadOf = (output: InvocationResponse): unknown =>
  output.Payload === undefined || output.Payload.byteLength === 0
    ? undefined
    : JSON.parse(Buffer.from(output.Payload).toString('utf8'));

const logOf = (output: InvocationResponse): string =>
  Buffer.from(output.LogResult ?? '', 'base64').toString('utf8');

export type { ProbeEvent };
export {
  BROKEN_API_BUILD,
  endpointEnvironment,
  lambdaClient,
  logOf,
  PROBE_BUILD,
  payloadOf,
  publishBuild,
  startLambdaStack,
};
