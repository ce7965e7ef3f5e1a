import type { InvokeResult, Invoker } from '../types.ts';

/** An Invoker answering from a function of the payload, recording every call. */
class FakeInvoker implements Invoker {
  readonly target = 'fake';
  readonly calls: unknown[] = [];
  readonly #respond: (payload: unknown) => InvokeResult | Promise<InvokeResult>;

  constructor(respond: (payload: unknown) => InvokeResult | Promise<InvokeResult>) {
    this.#respond = respond;
  }

  async invoke(payload: unknown): Promise<InvokeResult> {
    this.calls.push(payload);
    return this.#respond(payload);
  }
}

/** A Function URL result as a handler returns it. */
const urlResult = (statusCode: number, body: unknown, contentType = 'application/json') => ({
  statusCode,
  headers: { 'Content-Type': contentType },
  body: JSON.stringify(body),
});

export { FakeInvoker, urlResult };
