import {
  CreateFunctionCommand,
  type FunctionConfiguration,
  GetFunctionCommand,
  type LambdaClient,
  PublishVersionCommand,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { DeployStepError } from '../errors.ts';
import { LambdaInvoker } from '../invokers/lambdaInvoker.ts';
import { formatReport } from '../smoke/report.ts';
import { runChecks, type SmokeReport } from '../smoke/runChecks.ts';
import { type MigrationResult, runMigration } from '../smoke/runMigration.ts';
import type { SmokeCheck } from '../smoke/smokeCheck.ts';
import { DEPLOY_STEPS, type DeployStep } from './deploySteps.ts';
import { pointAlias, readAlias } from './liveAlias.ts';
import { type PollOptions, waitForFunction } from './waitForFunction.ts';

/** Only used when the function does not exist yet (normally Terraform creates it). */
type CreateSettings = {
  roleArn?: string;
  memorySize: number;
  timeout: number;
  architecture: 'x86_64' | 'arm64';
  environment: Record<string, string>;
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

const getFunction = async (
  client: LambdaClient,
  functionName: string,
): Promise<FunctionConfiguration | undefined> => {
  try {
    return (await client.send(new GetFunctionCommand({ FunctionName: functionName }))).Configuration;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
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

export type { CreateSettings, DeployFunctionOptions, DeployResult };
export { deployFunction };
