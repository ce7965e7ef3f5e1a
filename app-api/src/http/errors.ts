import { IngestaError } from '#shared/domain/errors.ts';

/**
 * Errors only HTTP has. Each knows its status and headers, as Powertools' event-handler errors do;
 * domain errors are mapped to HTTP in problems.ts.
 */
abstract class HttpError extends IngestaError {
  override readonly name: string = 'HttpError';
  abstract readonly statusCode: number;
  abstract readonly title: string;
  readonly problemType: string = 'about:blank';

  /** Extra members for the problem document. */
  extensions(): Record<string, unknown> {
    return {};
  }

  /** Headers the response must carry besides the content type (e.g. Allow). */
  headers(): Record<string, string> {
    return {};
  }
}

class MalformedJsonError extends HttpError {
  override readonly name: string = 'MalformedJsonError';
  readonly statusCode = 400;
  readonly title = 'Bad Request';
  override readonly problemType = 'urn:ingesta:problem:malformed-json';

  constructor(message = 'The request body is not valid JSON.', options?: ErrorOptions) {
    super(message, options);
  }
}

class MethodNotAllowedError extends HttpError {
  override readonly name: string = 'MethodNotAllowedError';
  readonly statusCode = 405;
  readonly title = 'Method Not Allowed';
  readonly allow: readonly string[];

  constructor(method: string, allow: readonly string[], options?: ErrorOptions) {
    super(`Method ${method} is not allowed here. Allowed: ${allow.join(', ')}.`, options);
    this.allow = allow;
  }

  override headers(): Record<string, string> {
    return { allow: this.allow.join(', ') };
  }
}

class PayloadTooLargeError extends HttpError {
  override readonly name: string = 'PayloadTooLargeError';
  readonly statusCode = 413;
  readonly title = 'Content Too Large';
  readonly limitBytes: number;

  constructor(limitBytes: number, options?: ErrorOptions) {
    super(`The request body exceeds ${limitBytes} bytes.`, options);
    this.limitBytes = limitBytes;
  }

  override extensions(): Record<string, unknown> {
    return { limitBytes: this.limitBytes };
  }
}

class UnsupportedMediaTypeError extends HttpError {
  override readonly name: string = 'UnsupportedMediaTypeError';
  readonly statusCode = 415;
  readonly title = 'Unsupported Media Type';

  constructor(received: string | undefined, options?: ErrorOptions) {
    super(`Expected Content-Type application/json, got ${received ? `'${received}'` : 'none'}.`, options);
  }

  override headers(): Record<string, string> {
    return { 'accept-post': 'application/json' };
  }
}

export {
  HttpError,
  MalformedJsonError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
};
