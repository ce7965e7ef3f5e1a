import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DeployFunctionOptions, deployFunction } from '../deployFlow.ts';
import { DeployStepError } from '../errors.ts';
import { checksFor } from '../smokeChecks.ts';
import {
  ContractFakes,
  createLambdaMock,
  type LambdaMock,
  onInvoke,
  readyConfig,
  updatingThenReady,
} from './fakes.ts';

const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ingesta-api:0123abc';

const notFound = () => new ResourceNotFoundException({ message: 'Function not found', $metadata: {} });

let lambda: LambdaMock;
let fakes: ContractFakes;
const sleep = vi.fn(async (_ms: number) => undefined);

const options = (overrides: Partial<DeployFunctionOptions> = {}): DeployFunctionOptions => ({
  functionName: 'ingesta-api',
  imageUri: IMAGE,
  aliasName: 'live',
  migrate: false,
  checks: checksFor('api'),
  create: { memorySize: 512, timeout: 30, architecture: 'x86_64', environment: {} },
  poll: { timeoutMs: 10_000, intervalMs: 1_000, sleep },
  ...overrides,
});

/** An existing function with `live` on version 3, whose update and version 4 go through. */
const existingFunction = (): void => {
  lambda.on(GetFunctionCommand).resolves({ Configuration: readyConfig({ CodeSha256: 'sha-old' }) });
  lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '3', RevisionId: 'rev-3' });
  lambda.on(UpdateFunctionCodeCommand).resolves({ LastUpdateStatus: 'InProgress' });
  lambda.on(GetFunctionConfigurationCommand).resolves(readyConfig());
  lambda.on(PublishVersionCommand).resolves({ Version: '4' });
  lambda.on(UpdateAliasCommand).resolves({ FunctionVersion: '4' });
};

const healthyFunctions = (): void => {
  onInvoke(lambda, (payload) => {
    const event = payload as Partial<LambdaFunctionURLEvent>;
    return {
      payload: event.requestContext ? fakes.api(event as LambdaFunctionURLEvent) : fakes.subscriber(payload),
    };
  });
};

/** The names of the commands sent, in order. */
const sentCommands = (): string[] => lambda.calls().map((call) => call.args[0].constructor.name);

const deployFailure = async (promise: Promise<unknown>): Promise<DeployStepError> => {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DeployStepError);
  return error as DeployStepError;
};

beforeEach(() => {
  lambda = createLambdaMock();
  fakes = new ContractFakes();
  sleep.mockClear();
});

afterEach(() => {
  lambda.restore();
});

describe('deployFunction', () => {
  it('updates an existing function, smoke-tests the published version, then moves live to it', async () => {
    existingFunction();
    healthyFunctions();

    const result = await deployFunction(new LambdaClient({}), options());

    expect(result).toMatchObject({ created: false, version: '4', previousVersion: '3' });
    expect(lambda.commandCalls(UpdateFunctionCodeCommand)[0]?.args[0].input).toEqual({
      FunctionName: 'ingesta-api',
      ImageUri: IMAGE,
    });
    expect(lambda.commandCalls(CreateFunctionCommand)).toHaveLength(0);
    expect(lambda.commandCalls(PublishVersionCommand)[0]?.args[0].input).toMatchObject({
      CodeSha256: 'sha-new',
    });
    const invokes = lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input.Qualifier);
    expect(invokes).toEqual(['4', '4', '4', '4']);
    expect(lambda.commandCalls(UpdateAliasCommand)[0]?.args[0].input).toMatchObject({
      FunctionName: 'ingesta-api',
      Name: 'live',
      FunctionVersion: '4',
      RevisionId: 'rev-3',
    });
    const order = sentCommands();
    expect(order.lastIndexOf('InvokeCommand')).toBeLessThan(order.indexOf('UpdateAliasCommand'));
    expect(order.at(-1)).toBe('UpdateAliasCommand');
  });

  it('creates a missing function as an Image package, and then creates the live alias', async () => {
    lambda.on(GetFunctionCommand).rejects(notFound());
    lambda.on(GetAliasCommand).rejects(notFound());
    lambda.on(CreateFunctionCommand).resolves({ State: 'Pending' });
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolvesOnce(readyConfig({ State: 'Pending' }))
      .resolves(readyConfig());
    lambda.on(PublishVersionCommand).resolves({ Version: '1' });
    lambda.on(CreateAliasCommand).resolves({ FunctionVersion: '1' });
    healthyFunctions();
    const roleArn = 'arn:aws:iam::123456789012:role/ingesta-api';

    const result = await deployFunction(
      new LambdaClient({}),
      options({
        create: { roleArn, memorySize: 1024, timeout: 15, architecture: 'x86_64', environment: { A: '1' } },
      }),
    );

    expect(result).toMatchObject({ created: true, version: '1', previousVersion: undefined });
    expect(lambda.commandCalls(CreateFunctionCommand)[0]?.args[0].input).toEqual({
      FunctionName: 'ingesta-api',
      PackageType: 'Image',
      Code: { ImageUri: IMAGE },
      Role: roleArn,
      MemorySize: 1024,
      Timeout: 15,
      Architectures: ['x86_64'],
      Environment: { Variables: { A: '1' } },
    });
    expect(lambda.commandCalls(UpdateFunctionCodeCommand)).toHaveLength(0);
    expect(lambda.commandCalls(CreateAliasCommand)[0]?.args[0].input).toEqual({
      FunctionName: 'ingesta-api',
      Name: 'live',
      FunctionVersion: '1',
    });
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });

  it('refuses to create a function without an execution role', async () => {
    lambda.on(GetFunctionCommand).rejects(notFound());
    lambda.on(GetAliasCommand).rejects(notFound());

    const error = await deployFailure(deployFunction(new LambdaClient({}), options()));

    expect(error.step).toBe('create-function');
    expect(error.message).toContain('pass --role-arn');
    expect(lambda.commandCalls(CreateFunctionCommand)).toHaveLength(0);
  });

  it('waits while the update is InProgress and publishes only once it is Successful', async () => {
    existingFunction();
    updatingThenReady(lambda, 3);
    healthyFunctions();

    await deployFunction(new LambdaClient({}), options());

    expect(sleep).toHaveBeenCalledTimes(3);
    expect(sleep).toHaveBeenCalledWith(1_000);
    const order = sentCommands();
    const lastPollBeforePublish = order.lastIndexOf(
      'GetFunctionConfigurationCommand',
      order.indexOf('PublishVersionCommand'),
    );
    expect(lastPollBeforePublish).toBeGreaterThan(order.indexOf('UpdateFunctionCodeCommand'));
  });

  it('waits for an update already in progress (e.g. Terraform) before updating the code', async () => {
    existingFunction();
    updatingThenReady(lambda, 2);
    healthyFunctions();

    await deployFunction(new LambdaClient({}), options());

    const order = sentCommands();
    expect(order.slice(0, 4)).toEqual([
      'GetFunctionCommand',
      'GetAliasCommand',
      'GetFunctionConfigurationCommand',
      'GetFunctionConfigurationCommand',
    ]);
    expect(order.indexOf('UpdateFunctionCodeCommand')).toBe(5);
  });

  it('aborts when the update fails, before publishing, and leaves live where it was', async () => {
    existingFunction();
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolvesOnce(readyConfig())
      .resolves(readyConfig({ LastUpdateStatus: 'Failed', LastUpdateStatusReason: 'image not found' }));

    const error = await deployFailure(deployFunction(new LambdaClient({}), options()));

    expect(error.step).toBe('wait-update');
    expect(error.liveVersion).toBe('3');
    expect(error.message).toContain('image not found');
    expect(error.message).toContain('live stays on version 3');
    expect(lambda.commandCalls(PublishVersionCommand)).toHaveLength(0);
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });

  it('gives up when the update does not finish within the timeout', async () => {
    existingFunction();
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolvesOnce(readyConfig())
      .resolves(readyConfig({ LastUpdateStatus: 'InProgress' }));

    const error = await deployFailure(
      deployFunction(new LambdaClient({}), options({ poll: { timeoutMs: 5_000, intervalMs: 1_000, sleep } })),
    );

    expect(error.step).toBe('wait-update');
    expect(error.message).toContain('not ready after 5000 ms');
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(1 + 5);
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });

  it('leaves live on the previous version when a smoke check fails', async () => {
    existingFunction();
    onInvoke(lambda, (payload) => {
      const event = payload as LambdaFunctionURLEvent;
      if (event.rawPath === '/health')
        return { payload: { errorType: 'Error', errorMessage: 'x' }, functionError: 'Unhandled' };
      return { payload: fakes.api(event) };
    });
    const lines: string[] = [];

    const error = await deployFailure(
      deployFunction(new LambdaClient({}), options({ log: (line) => lines.push(line) })),
    );

    expect(error.step).toBe('smoke');
    expect(error.liveVersion).toBe('3');
    expect(error.message).toContain('GET /health → 200 ok');
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
    expect(lambda.commandCalls(CreateAliasCommand)).toHaveLength(0);
    expect(lines.join('\n')).toContain('FAILED: GET /health → 200 ok: FunctionError Unhandled');
  });

  it('migrates the subscriber version before its smoke test', async () => {
    existingFunction();
    healthyFunctions();

    const result = await deployFunction(
      new LambdaClient({}),
      options({ functionName: 'ingesta-suscriptor', migrate: true, checks: checksFor('suscriptor') }),
    );

    const payloads = lambda
      .commandCalls(InvokeCommand)
      .map(
        (call) => JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array)) as object,
      );
    expect(payloads[0]).toEqual({ action: 'migrate' });
    expect(payloads[1]).toHaveProperty('Records');
    expect(result.migration).toEqual({
      status: 'migrated',
      applied: ['0001_create_users'],
      latest: '0001_create_users',
    });
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(1);
  });

  it('aborts before the smoke test when the migration fails', async () => {
    existingFunction();
    onInvoke(lambda, () => ({
      payload: { errorType: 'MigrationError', errorMessage: 'relation exists' },
      functionError: 'Unhandled',
    }));

    const error = await deployFailure(
      deployFunction(
        new LambdaClient({}),
        options({ functionName: 'ingesta-suscriptor', migrate: true, checks: checksFor('suscriptor') }),
      ),
    );

    expect(error.step).toBe('migrate');
    expect(error.liveVersion).toBe('3');
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });

  it('reports the step when moving the alias itself fails, e.g. someone moved it meanwhile', async () => {
    existingFunction();
    healthyFunctions();
    lambda.on(UpdateAliasCommand).rejects(new Error('The RevisionId provided does not match'));

    const error = await deployFailure(deployFunction(new LambdaClient({}), options()));

    expect(error.step).toBe('move-alias');
    expect(error.liveVersion).toBe('3');
  });
});
