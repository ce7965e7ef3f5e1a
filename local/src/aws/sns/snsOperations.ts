import { QueueFullError } from '#local/localErrors.ts';
import type { LocalTopic, TopicAttribute } from '#local/localTopic.ts';
import { MAX_MESSAGE_BYTES, MessageTooLargeError } from '#local/messageSize.ts';
import { listIndexes, type XmlNode } from './queryProtocol.ts';
import { SnsError, snsErrors } from './snsErrors.ts';

const ACCOUNT_ID = '000000000000';
const MAX_ATTRIBUTES = 10;
const ATTRIBUTE_NAME = /^(?!aws\.|amazon\.)(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/i;
const DATA_TYPE = /^(String\.Array|String|Number|Binary)(\.[A-Za-z0-9_.-]{1,250})?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
/** SNS subjects: printable ASCII, no line breaks, at most 100 characters. */
const SUBJECT = /^[\x20-\x7e]{1,100}$/;

type Params = ReadonlyMap<string, string>;

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` / `.Value.BinaryValue`. */
const parseAttributes = (params: Params): Record<string, TopicAttribute> => {
  const indexes = listIndexes(params, 'MessageAttributes.entry');
  if (indexes.length > MAX_ATTRIBUTES) {
    throw snsErrors.invalidParameterValue(
      `Number of message attributes [${indexes.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  const attributes: Record<string, TopicAttribute> = {};
  for (const i of indexes) {
    const at = (member: string) => params.get(`MessageAttributes.entry.${i}.${member}`);
    const name = at('Name');
    if (name === undefined || !ATTRIBUTE_NAME.test(name)) {
      throw snsErrors.invalidParameterValue(
        `The message attribute name '${(name ?? '').slice(0, 256)}' is invalid.`,
      );
    }
    if (Object.hasOwn(attributes, name))
      throw snsErrors.invalidParameterValue(`The message attribute '${name}' is given twice.`);
    const dataType = at('Value.DataType');
    const type = dataType === undefined ? null : DATA_TYPE.exec(dataType);
    if (dataType === undefined || type === null) {
      throw snsErrors.invalidParameterValue(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const stringValue = at('Value.StringValue');
    const binaryValue = at('Value.BinaryValue');
    if (type[1] === 'Binary') {
      if (binaryValue === undefined || binaryValue === '' || !BASE64.test(binaryValue)) {
        throw snsErrors.invalidParameterValue(
          `The message attribute '${name}' with type 'Binary' must use field 'Binary'.`,
        );
      }
      attributes[name] = { type: dataType, value: binaryValue };
      continue;
    }
    if (stringValue === undefined || stringValue === '') {
      throw snsErrors.invalidParameterValue(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type[1]}'.`,
      );
    }
    if (type[1] === 'Number' && !Number.isFinite(Number(stringValue))) {
      throw snsErrors.invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
    }
    if (type[1] === 'String.Array' && !isJsonArray(stringValue)) {
      throw snsErrors.invalidParameterValue(
        `The message attribute '${name}' with type 'String.Array' has to be a valid JSON array.`,
      );
    }
    attributes[name] = { type: dataType, value: stringValue };
  }
  return attributes;
};

const isJsonArray = (value: string): boolean => {
  try {
    return Array.isArray(JSON.parse(value));
  } catch {
    return false;
  }
};

/** With MessageStructure=json: the `sqs` entry if there is one, else the required `default`. */
const structuredMessage = (message: string): string => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw snsErrors.invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw snsErrors.invalidParameter('Message Structure - JSON message body failed to parse');
  }
  const entries = parsed as Record<string, unknown>;
  if (typeof entries.default !== 'string')
    throw snsErrors.invalidParameter('Message Structure - No default entry in JSON message body');
  return typeof entries.sqs === 'string' ? entries.sqs : entries.default;
};

const bytesOf = (message: string, attributes: Readonly<Record<string, TopicAttribute>>): number =>
  Buffer.byteLength(message) +
  Object.entries(attributes).reduce(
    (n, [name, a]) => n + Buffer.byteLength(name) + Buffer.byteLength(a.type) + Buffer.byteLength(a.value),
    0,
  );

/** The SNS actions over the local topic; each takes the request's parameters and gives its result element. */
const snsOperations = (topic: LocalTopic) => {
  const topicOf = (params: Params, member = 'TopicArn'): LocalTopic => {
    const arn = params.get(member);
    if (arn === undefined) throw snsErrors.validation(member.charAt(0).toLowerCase() + member.slice(1));
    if (!TOPIC_ARN.test(arn)) throw snsErrors.invalidParameter(member);
    if (arn !== topic.arn) throw snsErrors.notFound('Topic');
    return topic;
  };

  return {
    Publish: async (params: Params): Promise<XmlNode> => {
      if (params.has('PhoneNumber'))
        throw snsErrors.invalidParameter('PhoneNumber Reason: SMS is not supported by the local endpoint');
      const hasTopic = params.has('TopicArn');
      const hasTarget = params.has('TargetArn');
      if (hasTopic === hasTarget) {
        throw snsErrors.invalidParameter(
          hasTopic
            ? 'TopicArn or TargetArn Reason: Only one of TopicArn or TargetArn may be given'
            : 'TopicArn or TargetArn Reason: no value for required parameter',
        );
      }
      const target = topicOf(params, hasTopic ? 'TopicArn' : 'TargetArn');
      const raw = params.get('Message');
      if (raw === undefined) throw snsErrors.validation('message');
      if (raw === '') throw snsErrors.invalidParameter('Empty message');
      const structure = params.get('MessageStructure');
      if (structure !== undefined && structure !== 'json')
        throw snsErrors.invalidParameter('MessageStructure');
      const message = structure === 'json' ? structuredMessage(raw) : raw;
      const subject = params.get('Subject');
      if (subject !== undefined && !SUBJECT.test(subject)) throw snsErrors.invalidParameter('Subject');
      for (const member of ['MessageGroupId', 'MessageDeduplicationId']) {
        if (params.has(member))
          throw snsErrors.invalidParameter(
            `The request includes ${member} parameter that is not valid for this topic type`,
          );
      }
      const attributes = parseAttributes(params);
      if (bytesOf(message, attributes) > MAX_MESSAGE_BYTES)
        throw snsErrors.invalidParameter('Message too long');
      try {
        const messageId = await target.publishMessage({
          message,
          attributes,
          ...(subject !== undefined && { subject }),
        });
        return { MessageId: messageId };
      } catch (error) {
        if (error instanceof MessageTooLargeError) throw snsErrors.invalidParameter('Message too long');
        if (error instanceof QueueFullError) {
          throw new SnsError(
            'InternalError',
            'The subscribed queue is full: the message was not delivered.',
            { statusCode: 500, senderFault: false },
          );
        }
        throw error;
      }
    },

    ListTopics: async (params: Params): Promise<XmlNode> => {
      if (params.has('NextToken')) throw snsErrors.invalidParameter('NextToken');
      return { Topics: { member: [{ TopicArn: topic.arn }] } };
    },

    GetTopicAttributes: async (params: Params): Promise<XmlNode> => {
      const target = topicOf(params);
      const entries: Record<string, string> = {
        TopicArn: target.arn,
        Owner: ACCOUNT_ID,
        DisplayName: '',
        SubscriptionsConfirmed: String(target.subscriptions().length),
        SubscriptionsPending: '0',
        SubscriptionsDeleted: '0',
      };
      return { Attributes: { entry: Object.entries(entries).map(([key, value]) => ({ key, value })) } };
    },

    ListSubscriptionsByTopic: async (params: Params): Promise<XmlNode> => {
      const target = topicOf(params);
      if (params.has('NextToken')) throw snsErrors.invalidParameter('NextToken');
      return {
        Subscriptions: {
          member: target.subscriptions().map((s) => ({
            TopicArn: target.arn,
            Protocol: 'sqs',
            SubscriptionArn: s.subscriptionArn,
            Owner: ACCOUNT_ID,
            Endpoint: s.queue.arn,
          })),
        },
      };
    },
  };
};

export { snsOperations };
