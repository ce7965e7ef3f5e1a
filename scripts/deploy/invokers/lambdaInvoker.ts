import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { InvokeResult, Invoker } from '../types.ts';
import { type FunctionRef, formatFunctionRef } from './functionRef.ts';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Lambda returns the handler's JSON; a non-JSON payload is kept as text so a report can show it. */
const decodePayload = (bytes: Uint8Array | undefined): unknown => {
  if (!bytes || bytes.byteLength === 0) return null;
  const text = decoder.decode(bytes);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Invokes a deployed function (synchronously) at the qualifier under test. */
class LambdaInvoker implements Invoker {
  readonly target: string;
  readonly #client: LambdaClient;
  readonly #ref: FunctionRef;

  constructor(client: LambdaClient, ref: FunctionRef) {
    this.#client = client;
    this.#ref = ref;
    this.target = formatFunctionRef(ref);
  }

  async invoke(payload: unknown): Promise<InvokeResult> {
    const output = await this.#client.send(
      new InvokeCommand({
        FunctionName: this.#ref.functionName,
        Qualifier: this.#ref.qualifier,
        InvocationType: 'RequestResponse',
        Payload: encoder.encode(JSON.stringify(payload)),
      }),
    );
    const result: InvokeResult = {
      statusCode: output.StatusCode ?? 0,
      payload: decodePayload(output.Payload),
    };
    if (output.FunctionError) result.functionError = output.FunctionError;
    return result;
  }
}

export { decodePayload, LambdaInvoker };
