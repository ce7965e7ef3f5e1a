import { appendFile } from 'node:fs/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { z } from 'zod';
import { UsageError } from './errors.ts';
import { FUNCTION_KINDS, type FunctionKind } from './smokeChecks.ts';

/** node:util parseArgs, then zod; any problem becomes a UsageError with every issue listed. */
const parseCliArgs = <T>(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  schema: z.ZodType<T>,
): T => {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) =>
      issue.path.length > 0 ? `--${issue.path.join('.')}: ${issue.message}` : issue.message,
    );
    throw new UsageError(issues.join('\n'));
  }
  return parsed.data;
};

/** `subscriber` is accepted for `suscriptor`, the name the repository uses. */
const functionKindSchema = z.preprocess(
  (value) => (value === 'subscriber' ? 'suscriptor' : value),
  z.enum(FUNCTION_KINDS),
);

/** Function names end in `-api` or `-suscriptor` (contract), which picks the suite. */
const inferFunctionKind = (functionName: string): FunctionKind => {
  for (const kind of FUNCTION_KINDS) if (functionName.endsWith(`-${kind}`)) return kind;
  throw new UsageError(
    `Cannot tell the suite for ${functionName} from its name; pass --suite api|suscriptor`,
  );
};

const DEFAULT_ALIAS = 'live';

const DEPLOY_USAGE = `Usage: npm run deploy -- --function api|suscriptor --image <uri> [options]

  --function api|suscriptor  which function (picks the smoke suite; the subscriber also migrates)
  --image <uri>              the ECR image, e.g. <account>.dkr.ecr.<region>.amazonaws.com/ingesta-api:<git sha>
  --function-name <name>     the Lambda function (default ingesta-<function>)
  --alias <name>             the alias that serves traffic (default ${DEFAULT_ALIAS})
  --region <region>          AWS region (default: from the environment)
  --wait-timeout <seconds>   how long to wait for an update or a version (default 600)

Only when the function does not exist yet (Terraform normally creates it):
  --role-arn <arn>           execution role (required to create)
  --memory <MB>              default 512
  --timeout <seconds>        default 30
  --architecture x86_64|arm64  default x86_64, as the images are built
  --env KEY=VALUE            environment variable, repeatable
  --help`;

/** Options both commands take. */
const commonOptions = {
  function: { type: 'string' },
  region: { type: 'string' },
  help: { type: 'boolean' },
} as const;

const deployOptions = {
  ...commonOptions,
  image: { type: 'string' },
  'function-name': { type: 'string' },
  alias: { type: 'string' },
  'wait-timeout': { type: 'string' },
  'role-arn': { type: 'string' },
  memory: { type: 'string' },
  timeout: { type: 'string' },
  architecture: { type: 'string' },
  env: { type: 'string', multiple: true },
} as const;

const envPairSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*=/, 'expected KEY=VALUE');

const deployArgsSchema = z.object({
  function: functionKindSchema,
  image: z.string().regex(/^[^\s:@]+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/, 'expected an image URI'),
  'function-name': z.string().min(1).optional(),
  alias: z.string().min(1).default(DEFAULT_ALIAS),
  region: z.string().min(1).optional(),
  'wait-timeout': z.coerce.number().positive().default(600),
  'role-arn': z.string().startsWith('arn:').optional(),
  memory: z.coerce.number().int().min(128).max(10_240).default(512),
  timeout: z.coerce.number().int().min(1).max(900).default(30),
  architecture: z.enum(['x86_64', 'arm64']).default('x86_64'),
  env: z.array(envPairSchema).default([]),
});

type DeployArgs = z.infer<typeof deployArgsSchema>;

const parseDeployArgs = (argv: string[]): DeployArgs | 'help' => {
  if (argv.includes('--help')) return 'help';
  return parseCliArgs(argv, deployOptions, deployArgsSchema);
};

/** `KEY=VALUE` pairs into an object; the value may itself contain `=`. */
const parseEnvPairs = (pairs: string[]): Record<string, string> =>
  Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );

const SMOKE_USAGE = `Usage: npm run smoke -- [target…] [options]

Targets (at least one):
  --function <name|arn>[:<qualifier>]  invoke a deployed function (e.g. ingesta-api:live, ingesta-suscriptor:7)
  --url <function url>                 the API checks over HTTP against its Function URL
  --local                              both suites against the local handlers, in-process

Options:
  --suite api|suscriptor     which suite (default: from the function name, or both with --local)
  --url-auth AWS_IAM|NONE    the Function URL's auth type; AWS_IAM signs with SigV4 (default AWS_IAM)
  --region <region>          AWS region (default: from the environment or the URL)
  --database-url <url>       with --local: PostgreSQL instead of in-memory PGlite (default $DATABASE_URL)
  --e2e                      then POST a unique user and poll GET /users until it is visible
                             (against --url if given, else the API function or the local one)
  --e2e-timeout <seconds>    how long to wait for it (default 120)
  --help`;

const smokeOptions = {
  ...commonOptions,
  suite: { type: 'string' },
  url: { type: 'string' },
  'url-auth': { type: 'string' },
  local: { type: 'boolean' },
  'database-url': { type: 'string' },
  e2e: { type: 'boolean' },
  'e2e-timeout': { type: 'string' },
} as const;

const smokeArgsSchema = z
  .object({
    function: z.string().min(1).optional(),
    suite: functionKindSchema.optional(),
    url: z.url({ protocol: /^https?$/ }).optional(),
    'url-auth': z.enum(['AWS_IAM', 'NONE']).default('AWS_IAM'),
    local: z.boolean().default(false),
    region: z.string().min(1).optional(),
    'database-url': z.string().min(1).optional(),
    e2e: z.boolean().default(false),
    'e2e-timeout': z.coerce.number().positive().default(120),
    help: z.boolean().default(false),
  })
  .refine((args) => args.help || args.function || args.url || args.local, {
    message: 'Give at least one target: --function, --url or --local',
  })
  .refine((args) => !(args.url && args.suite === 'suscriptor'), {
    message: '--url carries the API checks only; the subscriber has no Function URL',
  });

type SmokeArgs = z.infer<typeof smokeArgsSchema>;

const parseSmokeArgs = (argv: string[]): SmokeArgs => parseCliArgs(argv, smokeOptions, smokeArgsSchema);

/** Appends Markdown to the GitHub Actions job summary when running there; a no-op elsewhere. */
const appendStepSummary = async (markdown: string, summaryPath: string | undefined): Promise<void> => {
  if (summaryPath) await appendFile(summaryPath, `${markdown}\n`);
};

/** Runs a CLI's `main` on the process arguments: its exit code; 2 and the usage on a UsageError. */
const runCli = (main: (argv: string[]) => Promise<number>, usage: string): void => {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`${error.message}\n\n${usage}`);
        process.exitCode = 2;
        return;
      }
      console.error(error);
      process.exitCode = 1;
    },
  );
};

export type { DeployArgs, SmokeArgs };
export {
  appendStepSummary,
  DEPLOY_USAGE,
  inferFunctionKind,
  parseDeployArgs,
  parseEnvPairs,
  parseSmokeArgs,
  runCli,
  SMOKE_USAGE,
};
