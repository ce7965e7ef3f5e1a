import type { InvokeResult } from './invokers.ts';

/** Base error of the deploy and smoke scripts. */
class DeployScriptError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeployScriptError';
  }
}

/** Bad command-line arguments; the CLI prints usage. */
class UsageError extends DeployScriptError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** A smoke check saw something other than what the contract promises. */
class SmokeCheckError extends DeployScriptError {
  readonly invocation: InvokeResult | undefined;

  constructor(message: string, invocation?: InvokeResult, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SmokeCheckError';
    this.invocation = invocation;
  }
}

/** A function update or version did not reach a usable state. */
class FunctionStateError extends DeployScriptError {
  readonly functionName: string;
  readonly state: string;

  constructor(message: string, context: { functionName: string; state: string }, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FunctionStateError';
    this.functionName = context.functionName;
    this.state = context.state;
  }
}

/** One deploy step failed; the alias still points at `liveVersion`. */
class DeployStepError extends DeployScriptError {
  readonly step: string;
  readonly liveVersion: string | undefined;

  constructor(
    message: string,
    context: { step: string; liveVersion: string | undefined },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DeployStepError';
    this.step = context.step;
    this.liveVersion = context.liveVersion;
  }
}

export { DeployScriptError, DeployStepError, FunctionStateError, SmokeCheckError, UsageError };
