/**
 * `npx tsx scripts/supplychain/checkImageScan.ts --findings <file> --digest sha256:… --function api|suscriptor`
 * The deploy workflow's scan gate. Exits 0 when the image may ship, 1 when the gate fails, 2 on bad arguments
 * or input it cannot trust. The verdict and every finding go to $GITHUB_STEP_SUMMARY when set.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { evaluateScan, formatScanSummary, ScanGateInputError, SEVERITIES } from './scanGate.ts';

const USAGE = `Usage: checkImageScan.ts --findings <file> --digest sha256:<hex> --function api|suscriptor [options]

  --findings <file>     output of aws ecr describe-image-scan-findings --output json
  --digest <digest>     the image digest being deployed (the findings must be for it)
  --function <kind>     api or suscriptor (exceptions may be limited to one)
  --threshold <sev>     lowest severity that blocks: ${SEVERITIES.join(', ')} (default HIGH)
  --exceptions <file>   committed exceptions (default .github/scan-exceptions.json)
  --today <YYYY-MM-DD>  the date exceptions are checked against (default: today, UTC)`;

const argsSchema = z.object({
  findings: z.string().min(1),
  digest: z.string().regex(/^sha256:[a-f0-9]{64}$/, 'expected sha256:<64 hex>'),
  function: z.enum(['api', 'suscriptor']),
  threshold: z.enum(SEVERITIES).default('HIGH'),
  exceptions: z.string().min(1).default('.github/scan-exceptions.json'),
  today: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .default(() => new Date().toISOString().slice(0, 10)),
});

const readJson = async (path: string, what: string): Promise<unknown> => {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ScanGateInputError(what, `cannot read ${path} as JSON (${String(error)})`, { cause: error });
  }
};

const main = async (argv: string[]): Promise<number> => {
  let args: z.infer<typeof argsSchema>;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        findings: { type: 'string' },
        digest: { type: 'string' },
        function: { type: 'string' },
        threshold: { type: 'string' },
        exceptions: { type: 'string' },
        today: { type: 'string' },
      },
      strict: true,
    });
    args = argsSchema.parse(values);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const input = {
    findings: await readJson(args.findings, 'scan findings'),
    exceptions: await readJson(args.exceptions, 'exceptions file'),
    threshold: args.threshold,
    digest: args.digest,
    functionKind: args.function,
    today: args.today,
  };
  const result = evaluateScan(input);
  const summary = formatScanSummary(result, input);
  console.log(summary);
  if (process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, `${summary}\n`);
  if (!result.passed && process.env.GITHUB_ACTIONS) {
    console.error(`::error title=Scan gate::${result.reasons.join('%0A')}`);
  }
  return result.passed ? 0 : 1;
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`Scan gate cannot decide: ${message}`);
    if (process.env.GITHUB_ACTIONS) console.error(`::error title=Scan gate::${message}`);
    process.exitCode = 2;
  },
);
