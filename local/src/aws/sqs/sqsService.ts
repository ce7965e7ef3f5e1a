import type { LocalQueue } from '#local/localQueue.ts';
import type { AwsRequest, AwsResponse, AwsService, EndpointFailure } from '../awsService.ts';
import { queryAnswer, queryError, queryParameters } from '../sns/queryProtocol.ts';
import { Arrivals } from './arrivals.ts';
import { messageOperations, type OperationContext } from './messageOperations.ts';
import { moveTasks } from './moveTasks.ts';
import { queueOperations } from './queueOperations.ts';
import { SqsError, sqsErrors } from './sqsErrors.ts';
import { queryInput, queryResult, SQS_NAMESPACE } from './sqsQueryProtocol.ts';
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

/** JSON 1.0 when the request names a target or a JSON type; else the Query API (form in, XML out). */
const speaksJson = (request: AwsRequest): boolean =>
  request.headers['x-amz-target'] !== undefined ||
  String(request.headers['content-type'] ?? '').startsWith('application/x-amz-json');

const queryErrorAnswer = (error: SqsError, requestId: string): AwsResponse =>
  queryError(
    SQS_NAMESPACE,
    { status: error.statusCode, code: error.code, message: error.message, senderFault: error.senderFault },
    requestId,
  );

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
 * current SDKs and CLI v2 speak, and in the older Query API (form in, XML out) for older CLIs. Sends reach
 * the queue the event source consumes; a receive competes with it.
 */
const createSqsService = ({ queues: list }: { queues: readonly LocalQueue[] }): AwsService => {
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

  const operationNamed = (name: string, shown: string): Operation => {
    const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (operation !== undefined) return operation;
    if (NOT_IMPLEMENTED.has(name)) {
      throw sqsErrors.unsupportedOperation(
        `${name} is not implemented by the local endpoint: its queues are fixed.`,
      );
    }
    throw sqsErrors.unknownOperation(shown);
  };

  const contextOf = (request: AwsRequest): OperationContext => ({
    host: hostOf(request),
    signal: AbortSignal.any([closing.signal, ...(request.signal === undefined ? [] : [request.signal])]),
  });

  const dispatchJson = async (request: AwsRequest): Promise<AwsResponse> => {
    const target = request.headers['x-amz-target'];
    if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) {
      throw sqsErrors.unknownOperation(typeof target === 'string' ? target : '(no X-Amz-Target)');
    }
    const operation = operationNamed(target.slice(TARGET_PREFIX.length), target);
    const output = await operation(parseJsonObject(request.body), contextOf(request));
    return jsonAnswer(200, output);
  };

  const dispatchQuery = async (request: AwsRequest): Promise<AwsResponse> => {
    const params = queryParameters(request);
    const action = params.get('Action');
    if (action === undefined || action === '') {
      throw new SqsError('MissingAction', 'The request must contain the parameter Action.');
    }
    const operation = operationNamed(action, action);
    const output = await operation(queryInput(action, params), contextOf(request));
    const result = queryResult(action, output as Record<string, unknown>);
    return queryAnswer(SQS_NAMESPACE, action, result, request.requestId);
  };

  return {
    name: 'sqs',
    handle: async (request) => {
      const json = speaksJson(request);
      let answer: AwsResponse;
      try {
        answer = await (json ? dispatchJson(request) : dispatchQuery(request));
      } catch (error) {
        if (!(error instanceof SqsError)) throw error;
        answer = json ? jsonError(error) : queryErrorAnswer(error, request.requestId);
      }
      // Once closing, no connection is kept alive: the server's close would wait out its idle timeout.
      return closing.signal.aborted
        ? { ...answer, headers: { ...answer.headers, connection: 'close' } }
        : answer;
    },
    failure: (request, failure) =>
      speaksJson(request)
        ? jsonError(failureError(failure))
        : queryErrorAnswer(failureError(failure), request.requestId),
    interrupt: () => closing.abort(),
    close: async () => {
      closing.abort();
      await tasks.stop();
    },
  };
};

const hostOf = (request: AwsRequest): string => {
  const host = request.headers.host;
  return typeof host === 'string' && /^[A-Za-z0-9.:[\]-]{1,300}$/.test(host) ? host : 'localhost';
};

export { createSqsService };
