import type { LocalQueue } from '#local/localQueue.ts';
import type { AwsRequest, AwsResponse, AwsService, EndpointFailure } from '../awsService.ts';
import { Arrivals } from './arrivals.ts';
import { messageOperations, type OperationContext } from './messageOperations.ts';
import { moveTasks } from './moveTasks.ts';
import { queueOperations } from './queueOperations.ts';
import { SqsError, sqsErrors } from './sqsErrors.ts';
import { SqsQueues } from './sqsQueues.ts';

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const TARGET_PREFIX = 'AmazonSQS.';

/** Operations of the SQS model the local endpoint does not implement: they answer UnsupportedOperation. */
const NOT_IMPLEMENTED = new Set([
  'AddPermission',
  'ChangeMessageVisibilityBatch',
  'CreateQueue',
  'DeleteQueue',
  'ListQueueTags',
  'RemovePermission',
  'SetQueueAttributes',
  'TagQueue',
  'UntagQueue',
]);

type Operation = (input: unknown, context: OperationContext) => Promise<object>;

const jsonAnswer = (status: number, body: object, headers: Record<string, string> = {}): AwsResponse => ({
  status,
  headers: { 'content-type': JSON_CONTENT_TYPE, ...headers },
  body: JSON.stringify(body),
});

/** An error in JSON 1.0, with the Query code the SDKs read from `x-amzn-query-error` (awsQueryCompatible). */
const jsonError = (error: SqsError): AwsResponse =>
  jsonAnswer(
    error.statusCode,
    { __type: `com.amazonaws.sqs#${error.shape}`, message: error.message },
    { 'x-amzn-query-error': `${error.code};${error.senderFault ? 'Sender' : 'Receiver'}` },
  );

const failureError = (failure: EndpointFailure): SqsError => {
  switch (failure.kind) {
    case 'too-large':
      return new SqsError('RequestEntityTooLarge', failure.message, { statusCode: 413 });
    case 'unsigned':
      return new SqsError('MissingAuthenticationToken', failure.message, { statusCode: 403 });
    case 'internal':
      return new SqsError('InternalError', failure.message, { statusCode: 500, senderFault: false });
  }
};

const parseJsonObject = (body: Buffer): Record<string, unknown> => {
  let parsed: unknown;
  try {
    parsed = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw sqsErrors.serialization('The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw sqsErrors.serialization('The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
};

/**
 * Amazon SQS over the local queues, in AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Operation>`), the protocol
 * current SDKs and CLI v2 speak. Sends reach the queue the event source consumes; a receive competes with it.
 */
const createSqsService = ({
  queues: list,
}: {
  queues: readonly LocalQueue[];
}): AwsService => {
  const queues = new SqsQueues(list);
  const arrivals = new Arrivals();
  for (const queue of list) arrivals.watch(queue);
  const tasks = moveTasks(queues);
  const closing = new AbortController();
  const operations: Record<string, Operation> = {
    ...queueOperations(queues),
    ...messageOperations(queues, arrivals),
    ...tasks.operations,
  };

  const dispatch = async (request: AwsRequest): Promise<AwsResponse> => {
    const target = request.headers['x-amz-target'];
    if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) {
      throw sqsErrors.unknownOperation(typeof target === 'string' ? target : '(no X-Amz-Target)');
    }
    const name = target.slice(TARGET_PREFIX.length);
    const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (operation === undefined) {
      if (NOT_IMPLEMENTED.has(name))
        throw sqsErrors.unsupportedOperation(
          `${name} is not implemented by the local endpoint: its queues are fixed.`,
        );
      throw sqsErrors.unknownOperation(target);
    }
    const input = parseJsonObject(request.body);
    const signal = AbortSignal.any([
      closing.signal,
      ...(request.signal === undefined ? [] : [request.signal]),
    ]);
    const output = await operation(input, { host: hostOf(request), signal });
    return jsonAnswer(200, output);
  };

  return {
    name: 'sqs',
    handle: async (request) => {
      let answer: AwsResponse;
      try {
        answer = await dispatch(request);
      } catch (error) {
        if (!(error instanceof SqsError)) throw error;
        answer = jsonError(error);
      }
      // Once closing, no connection is kept alive: the server's close would wait out its idle timeout.
      return closing.signal.aborted
        ? { ...answer, headers: { ...answer.headers, connection: 'close' } }
        : answer;
    },
    failure: (_request, failure) => jsonError(failureError(failure)),
    close: async () => {
      closing.abort();
      tasks.stop();
    },
  };
};

const hostOf = (request: AwsRequest): string => {
  const host = request.headers.host;
  return typeof host === 'string' && /^[A-Za-z0-9.:[\]-]{1,300}$/.test(host) ? host : 'localhost';
};

export { createSqsService };
