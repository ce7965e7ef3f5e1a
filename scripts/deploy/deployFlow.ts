import { setTimeout as delay } from 'node:timers/promises';
import {
  type AliasConfiguration,
  CreateAliasCommand,
  CreateFunctionCommand,
  type FunctionConfiguration,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  PublishVersionCommand,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { DeployStepError, FunctionStateError } from './errors.ts';
import { LambdaInvoker } from './invokers.ts';
import { type MigrationResult, runMigration, type SmokeCheck } from './smokeChecks.ts';
import { formatReport, runChecks, type SmokeReport } from './smokeReport.ts';

/** The deploy's steps, in order; a failure names one of them. */
const DEPLOY_STEPS = {
  inspect: 'inspect',
  waitReady: 'wait-ready',
  create: 'create-function',
  update: 'update-code',
  waitUpdate: 'wait-update',
  publish: 'publish-version',
  waitVersion: 'wait-version',
  migrate: 'migrate',
  smoke: 'smoke',
  alias: 'move-alias',
} as const;

type DeployStep = (typeof DEPLOY_STEPS)[keyof typeof DEPLOY_STEPS];

/** Only used when the function does not exist yet (normally Terraform creates it). */
type CreateSettings = {
  roleArn?: string;
  memorySize: number;
  timeout: number;
  architecture: 'x86_64' | 'arm64';
  environment: Record<string, string>;
};

type PollOptions = {
  timeoutMs: number;
  intervalMs: number;
  /** Injected so tests do not wait in real time. */
  sleep?: (ms: number) => Promise<void>;
};

type DeployFunctionOptions = {
  functionName: string;
  imageUri: string;
  aliasName: string;
  /** Run the subscriber's schema migrations on the new version before the smoke test. */
  migrate: boolean;
  checks: SmokeCheck[];
  create: CreateSettings;
  poll: PollOptions;
  log?: (line: string) => void;
};

type DeployResult = {
  functionName: string;
  imageUri: string;
  created: boolean;
  version: string;
  previousVersion: string | undefined;
  migration: MigrationResult | undefined;
  smoke: SmokeReport;
};

/** Lambda answers ResourceNotFound for a function or an alias that does not exist yet. */
const unlessMissing = async <T>(request: Promise<T>): Promise<T | undefined> => {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

const getFunction = async (
  client: LambdaClient,
  functionName: string,
): Promise<FunctionConfiguration | undefined> =>
  (await unlessMissing(client.send(new GetFunctionCommand({ FunctionName: functionName }))))?.Configuration;

/** The alias as found before the deploy; `RevisionId` guards the move against a concurrent change. */
const readAlias = async (
  client: LambdaClient,
  functionName: string,
  aliasName: string,
): Promise<AliasConfiguration | undefined> =>
  unlessMissing(client.send(new GetAliasCommand({ FunctionName: functionName, Name: aliasName })));

const describeState = (config: FunctionConfiguration): string =>
  `State=${config.State ?? '?'} LastUpdateStatus=${config.LastUpdateStatus ?? '?'}`;

/**
 * Polls until the function (or one version) is `Active` with its last update `Successful`. A `Failed`
 * state or update stops at once with Lambda's reason; so does the timeout.
 */
const waitForFunction = async (
  client: LambdaClient,
  functionName: string,
  qualifier: string | undefined,
  options: PollOptions,
): Promise<FunctionConfiguration> => {
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const attempts = Math.max(1, Math.ceil(options.timeoutMs / options.intervalMs));
  const target = qualifier ? `${functionName}:${qualifier}` : functionName;
  let last: FunctionConfiguration | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    last = await client.send(
      new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier }),
    );
    if (last.State === 'Failed' || last.LastUpdateStatus === 'Failed') {
      const reason = last.LastUpdateStatusReason ?? last.StateReason ?? 'no reason given';
      throw new FunctionStateError(`${target} failed: ${describeState(last)}: ${reason}`, {
        functionName,
        state: describeState(last),
      });
    }
    const updated = last.LastUpdateStatus === undefined || last.LastUpdateStatus === 'Successful';
    if (last.State === 'Active' && updated) return last;
    if (attempt < attempts) await sleep(options.intervalMs);
  }
  const state = last ? describeState(last) : 'unknown';
  throw new FunctionStateError(`${target} not ready after ${options.timeoutMs} ms: ${state}`, {
    functionName,
    state,
  });
};

/** Points the alias at `version`, creating it on a function deployed for the first time. */
const pointAlias = async (
  client: LambdaClient,
  functionName: string,
  aliasName: string,
  version: string,
  current: AliasConfiguration | undefined,
): Promise<void> => {
  if (current) {
    await client.send(
      new UpdateAliasCommand({
        FunctionName: functionName,
        Name: aliasName,
        FunctionVersion: version,
        RevisionId: current.RevisionId,
        // Drops any leftover weighted routing, so all traffic goes to the smoke-tested version.
        RoutingConfig: { AdditionalVersionWeights: {} },
      }),
    );
    return;
  }
  await client.send(
    new CreateAliasCommand({ FunctionName: functionName, Name: aliasName, FunctionVersion: version }),
  );
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Ships one image to one function: create or update, wait, publish a version, migrate (subscriber),
 * smoke-test that version, and only then point the alias at it. Any failure before the last step
 * leaves the alias, and so all traffic, on the version it had.
 */
const deployFunction = async (
  client: LambdaClient,
  options: DeployFunctionOptions,
): Promise<DeployResult> => {
  const { functionName, imageUri, aliasName } = options;
  const log = options.log ?? (() => undefined);
  let liveVersion: string | undefined;

  const step = async <T>(name: DeployStep, action: () => Promise<T>): Promise<T> => {
    log(`▶ ${name}`);
    try {
      return await action();
    } catch (error) {
      const live = liveVersion
        ? `${aliasName} stays on version ${liveVersion}`
        : `${aliasName} was not created`;
      throw new DeployStepError(
        `Deploy of ${functionName} failed at step "${name}": ${messageOf(error)}. ${live}.`,
        {
          step: name,
          liveVersion,
        },
        { cause: error },
      );
    }
  };

  const [existing, alias] = await step(DEPLOY_STEPS.inspect, () =>
    Promise.all([getFunction(client, functionName), readAlias(client, functionName, aliasName)]),
  );
  liveVersion = alias?.FunctionVersion;
  log(`  ${functionName}: ${existing ? 'exists' : 'missing'}; ${aliasName} → ${liveVersion ?? '(no alias)'}`);

  if (existing) {
    // A concurrent update (e.g. Terraform) would make UpdateFunctionCode fail with a conflict.
    await step(DEPLOY_STEPS.waitReady, () => waitForFunction(client, functionName, undefined, options.poll));
    await step(DEPLOY_STEPS.update, () =>
      client.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ImageUri: imageUri })),
    );
  } else {
    await step(DEPLOY_STEPS.create, async () => {
      const { roleArn, memorySize, timeout, architecture, environment } = options.create;
      if (!roleArn) throw new Error('the function does not exist; pass --role-arn to create it');
      await client.send(
        new CreateFunctionCommand({
          FunctionName: functionName,
          PackageType: 'Image',
          Code: { ImageUri: imageUri },
          Role: roleArn,
          MemorySize: memorySize,
          Timeout: timeout,
          Architectures: [architecture],
          Environment: { Variables: environment },
        }),
      );
    });
  }
  const ready = await step(DEPLOY_STEPS.waitUpdate, () =>
    waitForFunction(client, functionName, undefined, options.poll),
  );

  const version = await step(DEPLOY_STEPS.publish, async () => {
    // CodeSha256 makes Lambda refuse to publish if someone changed $LATEST in the meantime.
    const published = await client.send(
      new PublishVersionCommand({
        FunctionName: functionName,
        CodeSha256: ready.CodeSha256,
        Description: imageUri.slice(-256),
      }),
    );
    if (!published.Version) throw new Error('PublishVersion returned no version');
    return published.Version;
  });
  log(`  published version ${version}`);
  await step(DEPLOY_STEPS.waitVersion, () => waitForFunction(client, functionName, version, options.poll));

  const invoker = new LambdaInvoker(client, { functionName, qualifier: version });
  let migration: MigrationResult | undefined;
  if (options.migrate) {
    migration = await step(DEPLOY_STEPS.migrate, () => runMigration(invoker));
    log(`  migrations applied: ${migration.applied.join(', ') || 'none'}; latest ${migration.latest ?? '-'}`);
  }

  const smoke = await step(DEPLOY_STEPS.smoke, async () => {
    const report = await runChecks(invoker, options.checks);
    log(formatReport(report));
    if (!report.passed) {
      const failed = report.outcomes.filter((outcome) => !outcome.passed).map((outcome) => outcome.name);
      throw new Error(`smoke checks failed on version ${version}: ${failed.join('; ')}`);
    }
    return report;
  });

  await step(DEPLOY_STEPS.alias, () => pointAlias(client, functionName, aliasName, version, alias));
  log(`  ${aliasName} → ${version} (was ${liveVersion ?? 'none'})`);

  return {
    functionName,
    imageUri,
    created: existing === undefined,
    version,
    previousVersion: liveVersion,
    migration,
    smoke,
  };
};

/** One block a human reads at the end of a deploy log or in the job summary. */
const formatDeploySummary = (result: DeployResult, aliasName: string): string =>
  [
    `Deployed ${result.functionName}${result.created ? ' (created)' : ''}`,
    `  image:    ${result.imageUri}`,
    `  version:  ${result.version}`,
    `  ${aliasName}:    ${result.previousVersion ?? '(none)'} → ${result.version}`,
    ...(result.migration ? [`  schema:   ${result.migration.latest ?? '-'}`] : []),
    `  smoke:    ${result.smoke.outcomes.length} checks passed`,
    `Roll back: aws lambda update-alias --function-name ${result.functionName} --name ${aliasName} --function-version ${
      result.previousVersion ?? '<version>'
    }`,
  ].join('\n');

const formatDeployFailure = (error: DeployStepError, functionName: string, aliasName: string): string =>
  [
    `DEPLOY FAILED at step "${error.step}" for ${functionName}.`,
    error.message,
    error.liveVersion
      ? `Traffic is unaffected: alias ${aliasName} still points at version ${error.liveVersion}.`
      : `Alias ${aliasName} does not exist yet; nothing serves traffic from this deploy.`,
  ].join('\n');

const isDeployStepError = (error: unknown): error is DeployStepError => error instanceof DeployStepError;

export type { CreateSettings, DeployFunctionOptions, DeployResult, DeployStep, PollOptions };
export { DEPLOY_STEPS, deployFunction, formatDeployFailure, formatDeploySummary, isDeployStepError };
