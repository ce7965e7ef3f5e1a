import type { AwsResponse } from '../awsService.ts';

/**
 * Lambda's REST-JSON errors as the botocore model names them: the HTTP status of the error shape, the code in
 * `x-amzn-ErrorType` (which the SDKs read first), and a `{Type, message}` body. A few shapes spell the member
 * `Message`; the body uses the model's spelling so both SDKs fill `message`.
 */
const ERROR_SHAPES = {
  InvalidParameterValueException: { status: 400, messageMember: 'message' },
  InvalidRequestContentException: { status: 400, messageMember: 'message' },
  PreconditionFailedException: { status: 412, messageMember: 'message' },
  RequestTooLargeException: { status: 413, messageMember: 'message' },
  ResourceConflictException: { status: 409, messageMember: 'message' },
  ResourceNotFoundException: { status: 404, messageMember: 'Message' },
  ServiceException: { status: 500, messageMember: 'Message' },
  // Not in the model: what the service answers for a path or method it has no operation for.
  UnknownOperationException: { status: 404, messageMember: 'message' },
  // Not in the model either: API Gateway's answer to an unsigned request.
  MissingAuthenticationTokenException: { status: 403, messageMember: 'message' },
} as const;

type LambdaErrorCode = keyof typeof ERROR_SHAPES;

/** Base error of the local Lambda service: knows its code and status and renders itself. */
class LambdaServiceError extends Error {
  readonly code: LambdaErrorCode;
  readonly statusCode: number;

  constructor(code: LambdaErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LambdaServiceError';
    this.code = code;
    this.statusCode = ERROR_SHAPES[code].status;
  }

  toResponse(): AwsResponse {
    const type = this.statusCode >= 500 ? 'Service' : 'User';
    return {
      status: this.statusCode,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': this.code },
      body: JSON.stringify({ Type: type, [ERROR_SHAPES[this.code].messageMember]: this.message }),
    };
  }
}

class ResourceNotFoundError extends LambdaServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super('ResourceNotFoundException', message, options);
    this.name = 'ResourceNotFoundError';
  }
}

class InvalidParameterValueError extends LambdaServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super('InvalidParameterValueException', message, options);
    this.name = 'InvalidParameterValueError';
  }
}

class InvalidRequestContentError extends LambdaServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super('InvalidRequestContentException', message, options);
    this.name = 'InvalidRequestContentError';
  }
}

class RequestTooLargeError extends LambdaServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super('RequestTooLargeException', message, options);
    this.name = 'RequestTooLargeError';
  }
}

class PreconditionFailedError extends LambdaServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super('PreconditionFailedException', message, options);
    this.name = 'PreconditionFailedError';
  }
}

class ResourceConflictError extends LambdaServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super('ResourceConflictException', message, options);
    this.name = 'ResourceConflictError';
  }
}

class UnknownOperationError extends LambdaServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super('UnknownOperationException', message, options);
    this.name = 'UnknownOperationError';
  }
}

export type { LambdaErrorCode };
export {
  InvalidParameterValueError,
  InvalidRequestContentError,
  LambdaServiceError,
  PreconditionFailedError,
  RequestTooLargeError,
  ResourceConflictError,
  ResourceNotFoundError,
  UnknownOperationError,
};
