/** An SNS error with the Query code and HTTP status its model gives it. */
class SnsError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly senderFault: boolean;

  constructor(code: string, message: string, { statusCode = 400, senderFault = true } = {}) {
    super(message);
    this.name = 'SnsError';
    this.code = code;
    this.statusCode = statusCode;
    this.senderFault = senderFault;
  }
}

const snsErrors = {
  invalidParameter: (message: string) => new SnsError('InvalidParameter', `Invalid parameter: ${message}`),
  invalidParameterValue: (message: string) => new SnsError('ParameterValueInvalid', message),
  notFound: (what: string) => new SnsError('NotFound', `${what} does not exist`, { statusCode: 404 }),
  validation: (member: string) =>
    new SnsError(
      'ValidationError',
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    ),
  invalidAction: (action: string) =>
    new SnsError('InvalidAction', `The action ${action.slice(0, 100)} is not valid for this web service.`),
  missingAction: () => new SnsError('MissingAction', 'The request must contain the parameter Action.'),
} as const;

export { SnsError, snsErrors };
