/** The local runtime's own failures; `npm start` prints their message as one line, without a stack. */
class LocalRuntimeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalRuntimeError';
  }
}

class QueueFullError extends LocalRuntimeError {
  readonly queue: string;
  readonly limit: number;

  constructor(queue: string, limit: number, options?: ErrorOptions) {
    super(`Queue ${queue} holds its limit of ${limit} messages.`, options);
    this.name = 'QueueFullError';
    this.queue = queue;
    this.limit = limit;
  }
}

export { LocalRuntimeError, QueueFullError };
