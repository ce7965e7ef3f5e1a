import type { LocalTopic } from '#local/localTopic.ts';
import type { AwsRequest, AwsResponse, AwsService, EndpointFailure } from '../awsService.ts';
import {
  type QueryErrorFields,
  queryAnswer,
  queryError,
  queryParameters,
  type XmlNode,
} from './queryProtocol.ts';
import { SnsError, snsErrors } from './snsErrors.ts';
import { snsOperations } from './snsOperations.ts';

const NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

const failureError = (failure: EndpointFailure): QueryErrorFields => {
  switch (failure.kind) {
    case 'too-large':
      return { status: 413, code: 'RequestEntityTooLarge', message: failure.message, senderFault: true };
    case 'unsigned':
      return { status: 403, code: 'MissingAuthenticationToken', message: failure.message, senderFault: true };
    case 'internal':
      return { status: 500, code: 'InternalError', message: failure.message, senderFault: false };
  }
};

const asFields = (error: SnsError): QueryErrorFields => ({
  status: error.statusCode,
  code: error.code,
  message: error.message,
  senderFault: error.senderFault,
});

/**
 * Amazon SNS over the local topic, in the Query protocol: Publish (what the API's publisher does, so the
 * envelope reaches the queue and the subscriber), ListTopics, GetTopicAttributes, ListSubscriptionsByTopic.
 */
const createSnsService = ({ topic }: { topic: LocalTopic }): AwsService => {
  const operations: Record<string, (params: ReadonlyMap<string, string>) => Promise<XmlNode>> =
    snsOperations(topic);

  const dispatch = async (request: AwsRequest): Promise<AwsResponse> => {
    const params = queryParameters(request);
    const action = params.get('Action');
    if (action === undefined || action === '') throw snsErrors.missingAction();
    const operation = Object.hasOwn(operations, action) ? operations[action] : undefined;
    if (operation === undefined) throw snsErrors.invalidAction(action);
    return queryAnswer(NAMESPACE, action, await operation(params), request.requestId);
  };

  return {
    name: 'sns',
    handle: async (request) => {
      try {
        return await dispatch(request);
      } catch (error) {
        if (error instanceof SnsError) return queryError(NAMESPACE, asFields(error), request.requestId);
        throw error;
      }
    },
    failure: (request, failure) => queryError(NAMESPACE, failureError(failure), request.requestId),
  };
};

export { createSnsService };
