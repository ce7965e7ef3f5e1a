/**
 * An SQS error as the model names it: the JSON 1.0 `__type` shape, the Query code the
 * `awsQueryError` trait gives it (sent as `x-amzn-query-error`), and its HTTP status.
 */
class SqsError extends Error {
  readonly shape: string;
  readonly code: string;
  readonly statusCode: number;
  readonly senderFault: boolean;

  constructor(
    shape: string,
    message: string,
    {
      code = shape,
      statusCode = 400,
      senderFault = true,
    }: { code?: string; statusCode?: number; senderFault?: boolean } = {},
  ) {
    super(message);
    this.name = 'SqsError';
    this.shape = shape;
    this.code = code;
    this.statusCode = statusCode;
    this.senderFault = senderFault;
  }
}

const SQS = 'AWS.SimpleQueueService.';

/** The errors the operations raise, with the codes of the model's `awsQueryError` traits. */
const sqsErrors = {
  queueDoesNotExist: () =>
    new SqsError('QueueDoesNotExist', 'The specified queue does not exist.', {
      code: `${SQS}NonExistentQueue`,
    }),
  invalidAddress: (address: string) =>
    new SqsError('InvalidAddress', `The address ${address} is not valid for this endpoint.`, {
      statusCode: 404,
    }),
  missingParameter: (name: string) =>
    new SqsError('MissingParameter', `The request must contain the parameter ${name}.`),
  invalidParameterValue: (message: string) => new SqsError('InvalidParameterValue', message),
  invalidAttributeName: (name: string) => new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`),
  invalidMessageContents: () =>
    new SqsError(
      'InvalidMessageContents',
      'Invalid characters found. Valid characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.',
    ),
  receiptHandleIsInvalid: (handle: string) =>
    new SqsError(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle.slice(0, 200)}" is not a valid receipt handle.`,
      { statusCode: 404 },
    ),
  emptyBatchRequest: () =>
    new SqsError('EmptyBatchRequest', 'There should be at least one entry in the request.', {
      code: `${SQS}EmptyBatchRequest`,
    }),
  tooManyEntries: (count: number) =>
    new SqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${count}.`,
      {
        code: `${SQS}TooManyEntriesInBatchRequest`,
      },
    ),
  batchEntryIdsNotDistinct: (id: string) =>
    new SqsError('BatchEntryIdsNotDistinct', `Id ${id.slice(0, 80)} repeated.`, {
      code: `${SQS}BatchEntryIdsNotDistinct`,
    }),
  invalidBatchEntryId: () =>
    new SqsError(
      'InvalidBatchEntryId',
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      { code: `${SQS}InvalidBatchEntryId` },
    ),
  batchRequestTooLong: (bytes: number, limit: number) =>
    new SqsError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${limit} bytes. You have sent ${bytes} bytes.`,
      {
        code: `${SQS}BatchRequestTooLong`,
      },
    ),
  purgeQueueInProgress: (name: string) =>
    new SqsError(
      'PurgeQueueInProgress',
      `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
      {
        code: `${SQS}PurgeQueueInProgress`,
        statusCode: 403,
      },
    ),
  unsupportedOperation: (message: string) =>
    new SqsError('UnsupportedOperation', message, { code: `${SQS}UnsupportedOperation` }),
  resourceNotFound: (message: string) =>
    new SqsError('ResourceNotFoundException', message, { statusCode: 404 }),
  /** An operation the model does not name (or no X-Amz-Target at all). */
  unknownOperation: (target: string) =>
    new SqsError(
      'UnknownOperationException',
      `The operation ${target.slice(0, 100)} is not known to Amazon SQS.`,
      {
        code: 'InvalidAction',
      },
    ),
  /** A body that is not a JSON object. */
  serialization: (message: string) =>
    new SqsError('SerializationException', message, { code: 'MalformedQueryString' }),
} as const;

export { SqsError, sqsErrors };
