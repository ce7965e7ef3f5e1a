/**
 * `npm run deploy -- --function api|suscriptor --image <uri>`: ships an image to a function, smoke-tests
 * the new version and only then moves the `live` alias. Exits 1 (alias untouched) if any step fails.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { appendStepSummary, DEPLOY_USAGE, parseDeployArgs, parseEnvPairs, runCli } from './cli.ts';
import { deployFunction, formatDeployFailure, formatDeploySummary, isDeployStepError } from './deployFlow.ts';
import { checksFor } from './smokeChecks.ts';

const POLL_INTERVAL_MS = 2_000;

const main = async (argv: string[]): Promise<number> => {
  const args = parseDeployArgs(argv);
  if (args === 'help') {
    console.log(DEPLOY_USAGE);
    return 0;
  }
  const kind = args.function;
  const functionName = args['function-name'] ?? `ingesta-${kind}`;
  console.log(`Deploying ${args.image} to ${functionName} (alias ${args.alias})`);
  try {
    const result = await deployFunction(new LambdaClient({ region: args.region }), {
      functionName,
      imageUri: args.image,
      aliasName: args.alias,
      migrate: kind === 'suscriptor',
      checks: checksFor(kind),
      create: {
        roleArn: args['role-arn'],
        memorySize: args.memory,
        timeout: args.timeout,
        architecture: args.architecture,
        environment: parseEnvPairs(args.env),
      },
      poll: { timeoutMs: args['wait-timeout'] * 1000, intervalMs: POLL_INTERVAL_MS },
      log: (line) => console.log(line),
    });
    const summary = formatDeploySummary(result, args.alias);
    console.log(`\n${summary}`);
    await appendStepSummary(`\`\`\`\n${summary}\n\`\`\``, process.env.GITHUB_STEP_SUMMARY);
    return 0;
  } catch (error) {
    if (!isDeployStepError(error)) throw error;
    const failure = formatDeployFailure(error, functionName, args.alias);
    console.error(`\n${failure}`);
    // Annotates the run, so the reason shows without opening the log.
    if (process.env.GITHUB_ACTIONS)
      console.error(`::error title=Deploy failed::${failure.replaceAll('\n', '%0A')}`);
    await appendStepSummary(`\`\`\`\n${failure}\n\`\`\``, process.env.GITHUB_STEP_SUMMARY);
    return 1;
  }
};

runCli(main, DEPLOY_USAGE);
