/**
 * `npm run smoke -- --function <name|arn[:qualifier]> | --url <url> | --local`: the smoke suites
 * against a deployed function, its Function URL or the local handlers. Exits 1 if a check fails.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import {
  appendStepSummary,
  inferFunctionKind,
  parseSmokeArgs,
  runCli,
  SMOKE_USAGE,
  type SmokeArgs,
} from './cli.ts';
import { runEndToEnd } from './endToEnd.ts';
import { UsageError } from './errors.ts';
import {
  baseFunctionName,
  createFunctionUrlSigner,
  createLocalPipeline,
  HttpInvoker,
  type Invoker,
  LambdaInvoker,
  parseFunctionRef,
} from './invokers.ts';
import { checksFor, createSmokeUser } from './smokeChecks.ts';
import {
  formatReport,
  formatReportMarkdown,
  runChecks,
  runLocalSmoke,
  type SmokeReport,
} from './smokeReport.ts';

const publish = async (report: SmokeReport): Promise<void> => {
  console.log(`${formatReport(report)}\n`);
  await appendStepSummary(formatReportMarkdown(report), process.env.GITHUB_STEP_SUMMARY);
};

const runRemote = async (args: SmokeArgs): Promise<{ reports: SmokeReport[]; api: Invoker | undefined }> => {
  const reports: SmokeReport[] = [];
  let api: Invoker | undefined;
  if (args.function) {
    const ref = parseFunctionRef(args.function);
    const kind = args.suite ?? inferFunctionKind(baseFunctionName(ref));
    const invoker = new LambdaInvoker(new LambdaClient({ region: args.region }), ref);
    if (kind === 'api') api = invoker;
    reports.push(await runChecks(invoker, checksFor(kind)));
  }
  if (args.url) {
    const signer =
      args['url-auth'] === 'AWS_IAM'
        ? createFunctionUrlSigner(args.url, defaultProvider(), args.region)
        : undefined;
    const invoker = new HttpInvoker(args.url, signer ? { signer } : {});
    api = invoker;
    reports.push(await runChecks(invoker, checksFor('api')));
  }
  return { reports, api };
};

const runEndToEndCheck = async (api: Invoker, timeoutSeconds: number): Promise<boolean> => {
  const user = createSmokeUser();
  console.log(`End to end against ${api.target}: POST ${user.email}, then poll GET /users`);
  try {
    const result = await runEndToEnd(api, { user, timeoutMs: timeoutSeconds * 1000, intervalMs: 1000 });
    const elapsed = `${Math.round(result.visibleAfterMs)} ms`;
    console.log(`PASS: user ${result.userId} visible ${elapsed} after POST (${result.polls} polls)`);
    await appendStepSummary(
      `### End to end: ✅ \`${result.email}\` visible ${elapsed} after POST (${result.polls} polls)\n`,
      process.env.GITHUB_STEP_SUMMARY,
    );
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`FAIL: end to end: ${message}`);
    await appendStepSummary(`### End to end: ❌ ${message}\n`, process.env.GITHUB_STEP_SUMMARY);
    return false;
  }
};

const main = async (argv: string[]): Promise<number> => {
  const args = parseSmokeArgs(argv);
  if (args.help) {
    console.log(SMOKE_USAGE);
    return 0;
  }
  const reports: SmokeReport[] = [];
  let api: Invoker | undefined;
  let close: (() => Promise<void>) | undefined;
  try {
    if (args.local) {
      const databaseUrl = args['database-url'] ?? process.env.DATABASE_URL;
      const pipeline = await createLocalPipeline(databaseUrl ? { databaseUrl } : {});
      close = () => pipeline.close();
      const local = await runLocalSmoke(pipeline, args.suite ? [args.suite] : ['api', 'suscriptor']);
      reports.push(...local.reports);
      api = local.api;
    }
    const remote = await runRemote(args);
    reports.push(...remote.reports);
    api = remote.api ?? api;
    for (const report of reports) await publish(report);

    let passed = reports.every((report) => report.passed);
    if (args.e2e) {
      if (!api) throw new UsageError('--e2e needs an API target: --url, --function <…-api> or --local');
      passed = passed && (await runEndToEndCheck(api, args['e2e-timeout']));
    }
    console.log(passed ? 'Smoke test passed.' : 'Smoke test FAILED.');
    return passed ? 0 : 1;
  } finally {
    await close?.();
  }
};

runCli(main, SMOKE_USAGE);
