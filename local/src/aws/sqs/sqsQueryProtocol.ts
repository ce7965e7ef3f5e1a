import { listIndexes, type XmlNode, type XmlValue } from '../sns/queryProtocol.ts';

/**
 * The SQS Query API (form in, XML out), which CLIs and SDKs before the JSON protocol (Nov 2023, e.g. the
 * Debian aws-cli 2.9) still speak. Requests become the JSON protocol's input, answers go back to XML, so
 * both protocols run the same operations.
 */

const NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

/** Integer members: the form carries them as text. */
const INTEGERS = new Set([
  'DelaySeconds',
  'MaxNumberOfMessages',
  'VisibilityTimeout',
  'WaitTimeSeconds',
  'MaxResults',
  'MaxNumberOfMessagesPerSecond',
]);

/** Flattened lists of strings: JSON member → its Query name (`AttributeName.1`, …). */
const STRING_LISTS: Record<string, string> = {
  AttributeNames: 'AttributeName',
  MessageAttributeNames: 'MessageAttributeName',
  MessageSystemAttributeNames: 'MessageSystemAttributeName',
};

/** Batch entries: the Query name of each operation's `Entries`. */
const ENTRY_LISTS: Record<string, string> = {
  SendMessageBatch: 'SendMessageBatchRequestEntry',
  DeleteMessageBatch: 'DeleteMessageBatchRequestEntry',
};

const SCALARS = [
  'QueueUrl',
  'QueueName',
  'QueueOwnerAWSAccountId',
  'QueueNamePrefix',
  'NextToken',
  'MessageBody',
  'MessageDeduplicationId',
  'MessageGroupId',
  'ReceiptHandle',
  'ReceiveRequestAttemptId',
  'SourceArn',
  'DestinationArn',
  'TaskHandle',
  'Id',
  ...INTEGERS,
];

type Params = ReadonlyMap<string, string>;

const scalar = (name: string, value: string): unknown => {
  if (!INTEGERS.has(name)) return value;
  return /^-?\d{1,15}$/.test(value) ? Number(value) : value;
};

/** `MessageAttribute.N.Name` + `.Value.DataType|StringValue|BinaryValue` under `prefix`. */
const messageAttributes = (params: Params, prefix: string): Record<string, unknown> | undefined => {
  const indexes = listIndexes(params, `${prefix}MessageAttribute`);
  if (indexes.length === 0) return undefined;
  const attributes: Record<string, unknown> = {};
  for (const i of indexes) {
    const at = (member: string) => params.get(`${prefix}MessageAttribute.${i}.${member}`);
    const value = Object.fromEntries(
      ['DataType', 'StringValue', 'BinaryValue'].flatMap((m) => {
        const v = at(`Value.${m}`);
        return v === undefined ? [] : [[m, v]];
      }),
    );
    attributes[at('Name') ?? ''] = value;
  }
  return attributes;
};

/** The members of one structure found under `prefix` (`''` for the request itself). */
const structure = (params: Params, prefix: string): Record<string, unknown> => {
  const input: Record<string, unknown> = {};
  for (const name of SCALARS) {
    const value = params.get(`${prefix}${name}`);
    if (value !== undefined) input[name] = scalar(name, value);
  }
  for (const [member, queryName] of Object.entries(STRING_LISTS)) {
    const indexes = listIndexes(params, `${prefix}${queryName}`);
    if (indexes.length > 0)
      input[member] = indexes.map((i) => params.get(`${prefix}${queryName}.${i}`) ?? '');
  }
  const attributes = messageAttributes(params, prefix);
  if (attributes !== undefined) input.MessageAttributes = attributes;
  return input;
};

/** The JSON protocol's input for a Query request. */
const queryInput = (action: string, params: Params): Record<string, unknown> => {
  const input = structure(params, '');
  const entries = ENTRY_LISTS[action];
  if (entries !== undefined) {
    input.Entries = listIndexes(params, entries).map((i) => structure(params, `${entries}.${i}.`));
  }
  return input;
};

const attributeMap = (map: unknown): XmlNode[] =>
  Object.entries((map ?? {}) as Record<string, string>).map(([Name, Value]) => ({ Name, Value }));

const messageAttributeMap = (map: unknown): XmlNode[] =>
  Object.entries((map ?? {}) as Record<string, Record<string, string>>).map(([Name, v]) => ({
    Name,
    Value: { StringValue: v.StringValue, BinaryValue: v.BinaryValue, DataType: v.DataType },
  }));

/** The Query result element for an operation's JSON output (lists flattened, maps as Name/Value pairs). */
const queryResult = (action: string, output: Record<string, unknown>): XmlNode | undefined => {
  const result: XmlNode = {};
  for (const [member, value] of Object.entries(output)) {
    switch (member) {
      case 'QueueUrls':
      case 'queueUrls':
        result.QueueUrl = value as string[];
        break;
      case 'Attributes':
        result.Attribute = attributeMap(value);
        break;
      case 'Messages':
        result.Message = (value as Record<string, unknown>[]).map((m) => {
          const { Attributes, MessageAttributes, ...rest } = m;
          return {
            ...(rest as XmlNode),
            Attribute: attributeMap(Attributes),
            MessageAttribute: messageAttributeMap(MessageAttributes),
          };
        });
        break;
      case 'Successful':
        result[`${action}ResultEntry`] = value as XmlValue[];
        break;
      case 'Failed':
        result.BatchResultErrorEntry = value as XmlValue[];
        break;
      case 'Results':
        result[`${action}ResultEntry`] = value as XmlValue[];
        break;
      default:
        result[member] = value as XmlValue;
    }
  }
  return Object.keys(output).length === 0 && !['ReceiveMessage', 'ListQueues'].includes(action)
    ? undefined
    : result;
};

export { NAMESPACE as SQS_NAMESPACE, queryInput, queryResult };
