import { redactEmails } from '#shared/logging/personalData.ts';
import type { AwsRequest, AwsResponse } from '../awsService.ts';
import { qualifierOf } from './controlPlane.ts';
import { type FunctionRegistry, functionArn } from './functionRegistry.ts';
import {
  InvalidParameterValueError,
  InvalidRequestContentError,
  RequestTooLargeError,
} from './lambdaErrors.ts';
import { runInvocation } from './runInvocation.ts';

/** Invoke payload limits: 6 MB synchronous, 1 MB asynchronous (since October 2025). */
const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
const MAX_EVENT_PAYLOAD_BYTES = 1024 * 1024;

const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'] as const;
type InvocationType = (typeof INVOCATION_TYPES)[number];

const headerOf = (request: AwsRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const invocationTypeOf = (request: AwsRequest): InvocationType => {
  const value = headerOf(request, 'x-amz-invocation-type') ?? 'RequestResponse';
  const type = INVOCATION_TYPES.find((t) => t === value);
  if (type === undefined) {
    throw new InvalidParameterValueError(
      `1 validation error detected: Value '${value.slice(0, 64)}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  }
  return type;
};

const tailRequested = (request: AwsRequest): boolean => {
  const value = headerOf(request, 'x-amz-log-type') ?? 'None';
  if (value !== 'None' && value !== 'Tail') {
    throw new InvalidParameterValueError(
      `1 validation error detected: Value '${value.slice(0, 64)}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]`,
    );
  }
  return value === 'Tail';
};

/** The event the handler gets: the payload as JSON, `{}` when there is none (as the CLI sends by default). */
const eventOf = (request: AwsRequest): unknown => {
  if (request.body.length === 0) return {};
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch (error) {
    throw new InvalidRequestContentError(
      `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
    );
  }
};

/**
 * `POST /2015-03-31/functions/{FunctionName}/invocations`: runs the version the name and qualifier resolve to.
 * `RequestResponse` answers 200 with the result or the error document (`X-Amz-Function-Error: Unhandled`),
 * `Event` answers 202 and runs in the background (handed to `background`), `DryRun` answers 204.
 */
const invoke = async (
  registry: FunctionRegistry,
  request: AwsRequest,
  name: string,
  background: (run: Promise<unknown>) => void,
): Promise<AwsResponse> => {
  const type = invocationTypeOf(request);
  const tail = tailRequested(request);
  const limit = type === 'Event' ? MAX_EVENT_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
  if (request.body.length > limit) {
    throw new RequestTooLargeError(
      `Request must be smaller than ${limit} bytes for the ${type === 'Event' ? 'InvokeAsync' : 'InvokeFunction'} operation`,
    );
  }
  const resolved = registry.resolve(name, qualifierOf(request), request.region);
  const event = eventOf(request);
  const version = registry.routedVersion(resolved);
  const executed = { 'x-amz-executed-version': version.version };
  if (type === 'DryRun') return { status: 204, headers: executed };

  const invocation = {
    fn: resolved.fn,
    version,
    invokedFunctionArn: functionArn(request.region, resolved.fn.name, resolved.qualifier),
    requestId: request.requestId,
    region: request.region,
    event,
  };
  if (type === 'Event') {
    // Nobody waits for the answer, so a failure is printed where `npm start` shows it.
    const run = runInvocation(invocation, background).then((outcome) => {
      if (outcome.functionError !== undefined) {
        console.error(
          `local Lambda: ${resolved.fn.name}:${version.version} Event invocation ${request.requestId} failed: ${redactEmails(outcome.payload)}`,
        );
      }
    });
    background(run);
    return { status: 202, headers: executed };
  }
  const outcome = await runInvocation(invocation, background);
  return {
    status: 200,
    headers: {
      'content-type': 'application/json',
      ...executed,
      ...(outcome.functionError !== undefined && { 'x-amz-function-error': outcome.functionError }),
      ...(tail && { 'x-amz-log-result': outcome.log.tail() }),
    },
    body: outcome.payload,
  };
};

export { invoke, MAX_EVENT_PAYLOAD_BYTES, MAX_SYNC_PAYLOAD_BYTES };
