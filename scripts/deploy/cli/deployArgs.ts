import { z } from 'zod';
import { DEFAULT_ALIAS } from '../constants.ts';
import { functionKindSchema } from './functionKind.ts';
import { parseCliArgs } from './parseCliArgs.ts';

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

const deployOptions = {
  function: { type: 'string' },
  image: { type: 'string' },
  'function-name': { type: 'string' },
  alias: { type: 'string' },
  region: { type: 'string' },
  'wait-timeout': { type: 'string' },
  'role-arn': { type: 'string' },
  memory: { type: 'string' },
  timeout: { type: 'string' },
  architecture: { type: 'string' },
  env: { type: 'string', multiple: true },
  help: { type: 'boolean' },
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

export type { DeployArgs };
export { DEPLOY_USAGE, parseDeployArgs, parseEnvPairs };
