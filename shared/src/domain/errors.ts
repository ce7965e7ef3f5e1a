/**
 * Domain errors say what went wrong, never how a transport shows it. The API's HTTP layer maps them to
 * statuses in one table (app-api/src/http/problems.ts); the subscriber maps them to batch outcomes.
 */

interface FieldIssue {
  path: string;
  message: string;
}

/** One base error for Ingesta, so edges can tell our failures from anything unexpected. */
class IngestaError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IngestaError';
  }
}

/** Input that breaks the contract: a user, an event, a cursor. Names every bad field. */
class ValidationError extends IngestaError {
  readonly issues: FieldIssue[];

  constructor(message: string, issues: FieldIssue[] = [], options?: ErrorOptions) {
    super(message, options);
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

class NotFoundError extends IngestaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

/** A dependency (database, topic) is unreachable or overloaded; the caller may retry. */
class DependencyUnavailableError extends IngestaError {
  readonly dependency: string;

  constructor(dependency: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
    this.dependency = dependency;
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

export type { FieldIssue };
export { DependencyUnavailableError, IngestaError, NotFoundError, RowRejectedError, ValidationError };
