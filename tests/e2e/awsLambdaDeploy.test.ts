import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  type LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_IMAGES } from '#local/aws/lambda/pipelineFunctions.ts';
import { type DeployFunctionOptions, deployFunction } from '#scripts/deploy/deployFlow.ts';
import { DeployStepError } from '#scripts/deploy/errors.ts';
import { buildFunctionUrlEvent, parseFunctionUrlResult } from '#scripts/deploy/functionUrlEvents.ts';
import { checksFor } from '#scripts/deploy/smokeChecks.ts';
import { rejection } from '#tests/support/awsSdk.ts';
import {
  BROKEN_API_BUILD,
  endpointEnvironment,
  lambdaClient,
  payloadOf,
  startLambdaStack,
} from '../support/lambdaEndpoint.ts';
import type { RunningStack } from '../support/localStack.ts';
import { describeEachBackend } from '../support/testDatabase.ts';

const run = promisify(execFile);
const health = JSON.stringify(buildFunctionUrlEvent({ method: 'GET', path: '/health' }));

const deployOptions = (functionName: string, imageUri: string): DeployFunctionOptions => ({
  functionName,
  imageUri,
  aliasName: 'live',
  migrate: functionName.endsWith('-suscriptor'),
  checks: checksFor(functionName.endsWith('-api') ? 'api' : 'suscriptor'),
  create: { memorySize: 512, timeout: 30, architecture: 'x86_64', environment: {} },
  poll: { timeoutMs: 5_000, intervalMs: 100 },
});

const liveVersion = async (client: LambdaClient, functionName: string): Promise<string | undefined> =>
  (await client.send(new GetAliasCommand({ FunctionName: functionName, Name: 'live' }))).FunctionVersion;

/** `npm run deploy` / `npm run smoke` as CI runs them, in a child process reaching the endpoint by env vars. */
const runScript = (script: 'deploy' | 'smoke', args: string[], awsUrl: string) =>
  run('npx', ['tsx', `scripts/deploy/${script}.ts`, ...args], { env: endpointEnvironment(awsUrl) }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describeEachBackend('npm run deploy against the local AWS endpoint, on $name', (backend) => {
  let stack: RunningStack;
  let client: LambdaClient;

  beforeAll(async () => {
    stack = await startLambdaStack(backend);
    client = lambdaClient(stack.awsUrl);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('deploys the subscriber: update, publish, migrate, smoke, then creates live on the new version', async () => {
    const result = await deployFunction(
      client,
      deployOptions('ingesta-suscriptor', DEFAULT_IMAGES.suscriptor),
    );

    expect(result).toMatchObject({ created: false, version: '1', previousVersion: undefined });
    expect(result.migration?.status).toBe('migrated');
    expect(result.smoke.passed).toBe(true);
    expect(await liveVersion(client, 'ingesta-suscriptor')).toBe('1');
  });

  it('keeps live on the good version when a build fails its smoke check, while $LATEST moves', async () => {
    const good = await deployFunction(client, deployOptions('ingesta-api', DEFAULT_IMAGES.api));
    expect(await liveVersion(client, 'ingesta-api')).toBe(good.version);

    const failure = await deployFunction(
      client,
      deployOptions('ingesta-api', BROKEN_API_BUILD.imageUri),
    ).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(DeployStepError);
    expect(failure).toMatchObject({ step: 'smoke', liveVersion: good.version });
    expect(await liveVersion(client, 'ingesta-api')).toBe(good.version);
    const versions = (await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'ingesta-api' })))
      .Versions;
    const broken = versions?.at(-1);
    expect(broken?.Version).not.toBe(good.version);
    // The published version keeps the build it was published with: live still serves the good one.
    const latest = await client.send(new GetFunctionCommand({ FunctionName: 'ingesta-api' }));
    expect(latest.Code?.ImageUri).toBe(BROKEN_API_BUILD.imageUri);
    const viaLive = await client.send(
      new InvokeCommand({ FunctionName: 'ingesta-api:live', Payload: health }),
    );
    expect(viaLive.ExecutedVersion).toBe(good.version);
    expect(parseFunctionUrlResult(payloadOf(viaLive)).statusCode).toBe(200);
    const viaBroken = await client.send(
      new InvokeCommand({ FunctionName: 'ingesta-api', Qualifier: broken?.Version, Payload: health }),
    );
    expect(parseFunctionUrlResult(payloadOf(viaBroken)).statusCode).toBe(500);
  });

  it('runs the real deploy and smoke CLIs, reaching the endpoint through AWS_ENDPOINT_URL', async () => {
    const awsUrl = stack.awsUrl ?? '';
    const before = await liveVersion(client, 'ingesta-api');
    const deployed = await runScript('deploy', ['--function', 'api', '--image', DEFAULT_IMAGES.api], awsUrl);
    expect(deployed.code, deployed.stderr).toBe(0);
    const live = await liveVersion(client, 'ingesta-api');
    expect(live).not.toBe(before);
    expect(deployed.stdout).toContain(`live:    ${before} → ${live}`);

    const broken = await runScript(
      'deploy',
      ['--function', 'api', '--image', BROKEN_API_BUILD.imageUri],
      awsUrl,
    );
    expect(broken.code, broken.stderr).toBe(1);
    expect(broken.stderr).toContain('DEPLOY FAILED at step "smoke"');
    expect(broken.stderr).toContain(`alias live still points at version ${live}`);
    expect(await liveVersion(client, 'ingesta-api')).toBe(live);

    const smoke = await runScript(
      'smoke',
      ['--function', 'ingesta-api:live', '--e2e', '--e2e-timeout', '30'],
      awsUrl,
    );
    expect(smoke.code, smoke.stderr).toBe(0);
    expect(smoke.stdout).toContain('Smoke test passed.');
  }, 120_000);
});

describeEachBackend('Lambda control plane on the local AWS endpoint, on $name', (backend) => {
  let stack: RunningStack;
  let client: LambdaClient;

  beforeAll(async () => {
    stack = await startLambdaStack(backend);
    client = lambdaClient(stack.awsUrl);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('describes $LATEST as a ready image function under the Terraform module’s names', async () => {
    const config = await client.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'ingesta-suscriptor' }),
    );

    expect(config).toMatchObject({
      FunctionName: 'ingesta-suscriptor',
      FunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:ingesta-suscriptor',
      PackageType: 'Image',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      Version: '$LATEST',
      Timeout: 30,
      MemorySize: 512,
      CodeSha256: expect.stringMatching(/^[a-f0-9]{64}$/),
      RevisionId: expect.any(String),
    });
  });

  it('publishes only when the code changed, and lists every version', async () => {
    const first = await client.send(
      new PublishVersionCommand({ FunctionName: 'ingesta-api', Description: 'one' }),
    );
    const again = await client.send(new PublishVersionCommand({ FunctionName: 'ingesta-api' }));
    await client.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'ingesta-api', ImageUri: BROKEN_API_BUILD.imageUri }),
    );
    const second = await client.send(new PublishVersionCommand({ FunctionName: 'ingesta-api' }));
    await client.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'ingesta-api', ImageUri: DEFAULT_IMAGES.api }),
    );

    expect([first.Version, again.Version, second.Version]).toEqual(['1', '1', '2']);
    expect(first.FunctionArn).toBe('arn:aws:lambda:eu-west-1:000000000000:function:ingesta-api:1');
    const page = await client.send(
      new ListVersionsByFunctionCommand({ FunctionName: 'ingesta-api', MaxItems: 2 }),
    );
    expect(page.Versions?.map((v) => [v.Version, v.Description])).toEqual([
      ['$LATEST', ''],
      ['1', 'one'],
    ]);
    const rest = await client.send(
      new ListVersionsByFunctionCommand({ FunctionName: 'ingesta-api', Marker: page.NextMarker }),
    );
    expect(rest.Versions?.map((v) => [v.Version, v.CodeSha256])).toEqual([['2', second.CodeSha256]]);
    expect(rest.NextMarker).toBeUndefined();
    const version = await client.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'ingesta-api', Qualifier: '2' }),
    );
    expect(version.CodeSha256).toBe(second.CodeSha256);
  });

  it('creates, reads and moves an alias, guarded by its RevisionId', async () => {
    const created = await client.send(
      new CreateAliasCommand({
        FunctionName: 'ingesta-suscriptor',
        Name: 'live',
        FunctionVersion: '$LATEST',
      }),
    );
    await client.send(new PublishVersionCommand({ FunctionName: 'ingesta-suscriptor' }));
    const moved = await client.send(
      new UpdateAliasCommand({
        FunctionName: 'ingesta-suscriptor',
        Name: 'live',
        FunctionVersion: '1',
        RevisionId: created.RevisionId,
        RoutingConfig: { AdditionalVersionWeights: {} },
      }),
    );
    const stale = await rejection(
      client.send(
        new UpdateAliasCommand({
          FunctionName: 'ingesta-suscriptor',
          Name: 'live',
          FunctionVersion: '$LATEST',
          RevisionId: created.RevisionId,
        }),
      ),
    );

    expect(created).toMatchObject({
      AliasArn: 'arn:aws:lambda:eu-west-1:000000000000:function:ingesta-suscriptor:live',
      FunctionVersion: '$LATEST',
    });
    expect(moved.FunctionVersion).toBe('1');
    expect(moved.RevisionId).not.toBe(created.RevisionId);
    expect([stale.name, stale.$metadata.httpStatusCode]).toEqual(['PreconditionFailedException', 412]);
    expect(
      await client.send(new GetAliasCommand({ FunctionName: 'ingesta-suscriptor', Name: 'live' })),
    ).toMatchObject({
      FunctionVersion: '1',
      RevisionId: moved.RevisionId,
    });
    const config = await client.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'ingesta-suscriptor', Qualifier: 'live' }),
    );
    expect(config.Version).toBe('1');
  });

  it('answers each bad control-plane call with the error the model names', async () => {
    const send = client.send.bind(client);
    const cases: [string, () => Promise<unknown>, string, number][] = [
      [
        'PublishVersion with a stale CodeSha256',
        () => send(new PublishVersionCommand({ FunctionName: 'ingesta-api', CodeSha256: 'f'.repeat(64) })),
        'InvalidParameterValueException',
        400,
      ],
      [
        'PublishVersion with a stale RevisionId',
        () => send(new PublishVersionCommand({ FunctionName: 'ingesta-api', RevisionId: 'stale' })),
        'PreconditionFailedException',
        412,
      ],
      [
        'UpdateFunctionCode to an image never built',
        () =>
          send(
            new UpdateFunctionCodeCommand({
              FunctionName: 'ingesta-api',
              ImageUri: 'ingesta-api:never-built',
            }),
          ),
        'InvalidParameterValueException',
        400,
      ],
      [
        'UpdateFunctionCode without ImageUri',
        () => send(new UpdateFunctionCodeCommand({ FunctionName: 'ingesta-api' })),
        'InvalidParameterValueException',
        400,
      ],
      [
        'UpdateFunctionCode with a qualified name',
        () =>
          send(
            new UpdateFunctionCodeCommand({ FunctionName: 'ingesta-api:1', ImageUri: DEFAULT_IMAGES.api }),
          ),
        'InvalidParameterValueException',
        400,
      ],
      [
        'CreateAlias that exists',
        () =>
          send(
            new CreateAliasCommand({
              FunctionName: 'ingesta-suscriptor',
              Name: 'live',
              FunctionVersion: '1',
            }),
          ),
        'ResourceConflictException',
        409,
      ],
      [
        'CreateAlias on a missing version',
        () =>
          send(new CreateAliasCommand({ FunctionName: 'ingesta-api', Name: 'next', FunctionVersion: '99' })),
        'ResourceNotFoundException',
        404,
      ],
      [
        'CreateAlias named like a version',
        () => send(new CreateAliasCommand({ FunctionName: 'ingesta-api', Name: '12', FunctionVersion: '1' })),
        'InvalidParameterValueException',
        400,
      ],
      [
        'GetAlias that does not exist',
        () => send(new GetAliasCommand({ FunctionName: 'ingesta-api', Name: 'nope' })),
        'ResourceNotFoundException',
        404,
      ],
      [
        'UpdateAlias to a missing version',
        () =>
          send(
            new UpdateAliasCommand({
              FunctionName: 'ingesta-suscriptor',
              Name: 'live',
              FunctionVersion: '42',
            }),
          ),
        'ResourceNotFoundException',
        404,
      ],
      [
        'GetFunction of an unknown function',
        () => send(new GetFunctionCommand({ FunctionName: 'ingesta-nope' })),
        'ResourceNotFoundException',
        404,
      ],
      [
        'GetFunctionConfiguration of a missing version',
        () => send(new GetFunctionConfigurationCommand({ FunctionName: 'ingesta-api', Qualifier: '7' })),
        'ResourceNotFoundException',
        404,
      ],
      [
        'ListVersionsByFunction of an unknown function',
        () => send(new ListVersionsByFunctionCommand({ FunctionName: 'ingesta-nope' })),
        'ResourceNotFoundException',
        404,
      ],
      [
        'ListVersionsByFunction with MaxItems 0',
        () => send(new ListVersionsByFunctionCommand({ FunctionName: 'ingesta-api', MaxItems: 0 })),
        'InvalidParameterValueException',
        400,
      ],
    ];
    const seen = [];
    for (const [label, call] of cases) {
      const error = await rejection(call());
      seen.push([label, error.name, error.$metadata.httpStatusCode]);
    }
    expect(seen).toEqual(cases.map(([label, , name, status]) => [label, name, status]));
  });
});
