import {
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  type InvokeCommandInput,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import type { LambdaFunctionURLEvent, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { InvokeResult, Invoker } from '../invokers.ts';

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

type StoredUser = { id: string; name: string; email: string; createdAt: string; updatedAt: string };

const problem = (status: number, title: string, extra: Record<string, unknown> = {}) => ({
  ...urlResult(status, { type: 'about:blank', title, status, ...extra }, 'application/problem+json'),
});

/**
 * A stand-in for the API and subscriber that answers as the contract says, so the checks can be
 * shown to pass on a correct implementation and to fail on each way one can be wrong.
 */
class ContractFakes {
  readonly users: StoredUser[] = [];
  readonly published: { name: string; email: string }[] = [];
  migrated = false;

  store(user: { name: string; email: string }): void {
    if (this.users.some((existing) => existing.email === user.email)) return;
    const now = new Date().toISOString();
    this.users.push({ id: String(this.users.length + 1), ...user, createdAt: now, updatedAt: now });
  }

  api(event: LambdaFunctionURLEvent): unknown {
    const method = event.requestContext.http.method;
    if (method === 'GET' && event.rawPath === '/health') {
      return urlResult(200, { status: 'ok', version: 'test', database: 'ok' });
    }
    if (method === 'GET' && event.rawPath === '/users') {
      const limit = Number(event.queryStringParameters?.limit ?? '50');
      const after = Number(event.queryStringParameters?.cursor ?? '0');
      const items = this.users.filter((user) => Number(user.id) > after).slice(0, limit);
      const last = items.at(-1);
      const more = last !== undefined && this.users.some((user) => Number(user.id) > Number(last.id));
      return urlResult(200, { items, nextCursor: more && last ? last.id : null });
    }
    if (method === 'POST' && event.rawPath === '/users') {
      const body = JSON.parse(event.body ?? '{}') as { name?: string; email?: string };
      if (!body.name || !body.email?.includes('@')) {
        return problem(400, 'Invalid request', { errors: [{ path: 'email', message: 'Invalid email' }] });
      }
      this.published.push({ name: body.name, email: body.email });
      return urlResult(202, { eventId: 'evt-1', messageId: 'msg-1' });
    }
    return problem(404, 'Not Found');
  }

  subscriber(event: unknown): unknown {
    if ((event as { action?: string }).action === 'migrate') {
      this.migrated = true;
      return { status: 'migrated', applied: ['0001_create_users'], latest: '0001_create_users' };
    }
    const failures: { itemIdentifier: string }[] = [];
    for (const record of (event as SQSEvent).Records) {
      try {
        const envelope = JSON.parse(record.body) as { Message: string };
        const message = JSON.parse(envelope.Message) as { user: { name: string; email: string } };
        this.store(message.user);
      } catch {
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  }

  /** What the pipeline does asynchronously: the subscriber stores what the API published. */
  deliver(): void {
    for (const user of this.published.splice(0)) this.store(user);
  }
}

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

export type { LambdaMock, StoredUser };
export {
  ContractFakes,
  createLambdaMock,
  FakeInvoker,
  invokeOutput,
  onInvoke,
  readyConfig,
  updatingThenReady,
  urlResult,
};
