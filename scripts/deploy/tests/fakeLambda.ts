import {
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  type InvokeCommandInput,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A mocked Lambda client for the deploy tests. */
const createLambdaMock = () => mockClient(LambdaClient);

type LambdaMock = ReturnType<typeof createLambdaMock>;

/** What an InvokeCommand returns for a handler result. */
const invokeOutput = (payload: unknown, functionError?: string) => ({
  StatusCode: 200,
  Payload: encoder.encode(JSON.stringify(payload)) as never,
  ...(functionError ? { FunctionError: functionError } : {}),
});

/** Routes InvokeCommand to `respond`, which sees the decoded payload and the qualifier. */
const onInvoke = (
  mock: LambdaMock,
  respond: (payload: unknown, input: InvokeCommandInput) => { payload: unknown; functionError?: string },
): void => {
  mock.on(InvokeCommand).callsFake((input: InvokeCommandInput) => {
    const decoded: unknown = JSON.parse(decoder.decode(input.Payload as Uint8Array));
    const result = respond(decoded, input);
    return invokeOutput(result.payload, result.functionError);
  });
};

const readyConfig = (overrides: Partial<FunctionConfiguration> = {}): FunctionConfiguration => ({
  State: 'Active',
  LastUpdateStatus: 'Successful',
  CodeSha256: 'sha-new',
  ...overrides,
});

/** GetFunctionConfiguration answers `InProgress` `times` times, then ready. */
const updatingThenReady = (mock: LambdaMock, times: number): void => {
  const behaviour = mock.on(GetFunctionConfigurationCommand);
  for (let index = 0; index < times; index++) {
    behaviour.resolvesOnce(readyConfig({ LastUpdateStatus: 'InProgress' }));
  }
  behaviour.resolves(readyConfig());
};

export type { LambdaMock };
export { createLambdaMock, invokeOutput, onInvoke, readyConfig, updatingThenReady };
