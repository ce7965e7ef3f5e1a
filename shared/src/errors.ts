/**
 * One base error for Ingesta. Each subclass carries its HTTP status and renders itself as an
 * RFC 9457 problem, so edges never switch on error names.
 */

interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

interface FieldIssue {
  path: string;
  message: string;
}

class IngestaError extends Error {
  readonly statusCode: number = 500;
  readonly title: string = 'Internal Server Error';
  readonly problemType: string = 'about:blank';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IngestaError';
  }

  /** Extra members for the problem document; subclasses add context here. */
  protected extensions(): Record<string, unknown> {
    return {};
  }

  toProblem(): ProblemDetails {
    return {
      type: this.problemType,
      title: this.title,
      status: this.statusCode,
      detail: this.message,
      ...this.extensions(),
    };
  }

  /** Headers the response must carry besides the content type (e.g. Allow). */
  headers(): Record<string, string> {
    return {};
  }
}

class ValidationError extends IngestaError {
  override readonly statusCode = 400;
  override readonly title = 'Bad Request';
  override readonly problemType = 'urn:ingesta:problem:validation-error';
  readonly issues: FieldIssue[];

  constructor(message: string, issues: FieldIssue[] = [], options?: ErrorOptions) {
    super(message, options);
    this.name = 'ValidationError';
    this.issues = issues;
  }

  protected override extensions(): Record<string, unknown> {
    return this.issues.length > 0 ? { errors: this.issues } : {};
  }
}

class MalformedJsonError extends IngestaError {
  override readonly statusCode = 400;
  override readonly title = 'Bad Request';
  override readonly problemType = 'urn:ingesta:problem:malformed-json';

  constructor(message = 'The request body is not valid JSON.', options?: ErrorOptions) {
    super(message, options);
    this.name = 'MalformedJsonError';
  }
}

class NotFoundError extends IngestaError {
  override readonly statusCode = 404;
  override readonly title = 'Not Found';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

class MethodNotAllowedError extends IngestaError {
  override readonly statusCode = 405;
  override readonly title = 'Method Not Allowed';
  readonly allow: readonly string[];

  constructor(method: string, allow: readonly string[], options?: ErrorOptions) {
    super(`Method ${method} is not allowed here. Allowed: ${allow.join(', ')}.`, options);
    this.name = 'MethodNotAllowedError';
    this.allow = allow;
  }

  override headers(): Record<string, string> {
    return { allow: this.allow.join(', ') };
  }
}

class PayloadTooLargeError extends IngestaError {
  override readonly statusCode = 413;
  override readonly title = 'Content Too Large';
  readonly limitBytes: number;

  constructor(limitBytes: number, options?: ErrorOptions) {
    super(`The request body exceeds ${limitBytes} bytes.`, options);
    this.name = 'PayloadTooLargeError';
    this.limitBytes = limitBytes;
  }

  protected override extensions(): Record<string, unknown> {
    return { limitBytes: this.limitBytes };
  }
}

class UnsupportedMediaTypeError extends IngestaError {
  override readonly statusCode = 415;
  override readonly title = 'Unsupported Media Type';

  constructor(received: string | undefined, options?: ErrorOptions) {
    super(`Expected Content-Type application/json, got ${received ? `'${received}'` : 'none'}.`, options);
    this.name = 'UnsupportedMediaTypeError';
  }

  override headers(): Record<string, string> {
    return { 'accept-post': 'application/json' };
  }
}

/** A dependency (database, topic) is unreachable; the client may retry. */
class DependencyUnavailableError extends IngestaError {
  override readonly statusCode = 503;
  override readonly title = 'Service Unavailable';
  readonly dependency: string;

  constructor(dependency: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
    this.dependency = dependency;
  }

  override headers(): Record<string, string> {
    return { 'retry-after': '1' };
  }
}

/**
 * The database refused specific rows (bad data, a constraint), as opposed to being unavailable.
 * Only then is a failed batch worth retrying row by row.
 */
class RowRejectedError extends IngestaError {
  readonly code: string;

  constructor(message: string, code: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RowRejectedError';
    this.code = code;
  }
}

/** Configuration is read once at cold start; this names every bad variable at once. */
class ConfigError extends IngestaError {
  readonly issues: FieldIssue[];

  constructor(issues: FieldIssue[], options?: ErrorOptions) {
    super(`Invalid configuration: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, options);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export type { FieldIssue, ProblemDetails };
export {
  ConfigError,
  DependencyUnavailableError,
  IngestaError,
  MalformedJsonError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RowRejectedError,
  UnsupportedMediaTypeError,
  ValidationError,
};
