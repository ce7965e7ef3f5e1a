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
  override readonly name: string = 'IngestaError';
}

/** Input that breaks the contract: a user, an event, a cursor. Names every bad field. */
class ValidationError extends IngestaError {
  override readonly name = 'ValidationError';

  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

class NotFoundError extends IngestaError {
  override readonly name = 'NotFoundError';
}

/** A dependency (database, topic) is unreachable or overloaded; the caller may retry. */
class DependencyUnavailableError extends IngestaError {
  override readonly name = 'DependencyUnavailableError';

  constructor(
    readonly dependency: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The work did not finish in the time it had (a database resuming from a pause, a slow dependency). The
 * caller may retry; whatever was left running is abandoned, so the work must be safe to repeat.
 */
class DeadlineExceededError extends IngestaError {
  override readonly name = 'DeadlineExceededError';

  constructor(
    readonly deadlineMs: number,
    message = `The work did not finish within its ${deadlineMs} ms deadline.`,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The database refused specific rows (bad data, a constraint), as opposed to being unavailable.
 * Only then is a failed batch worth retrying row by row.
 */
class RowRejectedError extends IngestaError {
  override readonly name = 'RowRejectedError';

  constructor(
    message: string,
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** An Idempotency-Key whose first request is still being processed; the caller may retry shortly. */
class IdempotencyKeyInFlightError extends IngestaError {
  override readonly name = 'IdempotencyKeyInFlightError';
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super('A request with this Idempotency-Key is still being processed. Retry shortly.', options);
  }
}

/** An Idempotency-Key already used for a different request: retrying cannot succeed. */
class IdempotencyKeyReusedError extends IngestaError {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super('This Idempotency-Key was already used with a different request body.', options);
  }
}

export type { FieldIssue };
export {
  DeadlineExceededError,
  DependencyUnavailableError,
  IdempotencyKeyInFlightError,
  IdempotencyKeyReusedError,
  IngestaError,
  NotFoundError,
  RowRejectedError,
  ValidationError,
};
