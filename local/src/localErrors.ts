/** The local runtime's own failures; `npm start` prints their message as one line, without a stack. */
class LocalRuntimeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalRuntimeError';
  }
}

class PortInUseError extends LocalRuntimeError {
  readonly port: number;
  readonly host: string;

  /** `variable` is the setting that chose the port (PORT, or LOCAL_AWS_PORT for the AWS endpoint). */
  constructor(port: number, host: string, options?: ErrorOptions & { variable?: string }) {
    const name = options?.variable ?? 'PORT';
    super(`Port ${port} is in use on ${host}; set ${name}=<a free port> (${name}=0 picks one).`, options);
    this.name = 'PortInUseError';
    this.port = port;
    this.host = host;
  }
}

class InstanceLockedError extends LocalRuntimeError {
  /** The data folder or database schema another process owns. */
  readonly resource: string;
  /** That process's pid, when it could be read. */
  readonly pid: number | null;

  /** `hint` says how to run a second pipeline beside the first. */
  constructor(resource: string, pid: number | null, hint: string, options?: ErrorOptions) {
    super(
      `${resource} is in use by another local pipeline (${pid === null ? 'pid unknown' : `pid ${pid}`}); stop it first, or ${hint}.`,
      options,
    );
    this.name = 'InstanceLockedError';
    this.resource = resource;
    this.pid = pid;
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

export { InstanceLockedError, LocalRuntimeError, PortInUseError, QueueFullError };
