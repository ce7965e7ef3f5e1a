import { z } from 'zod';
import { functionKindSchema } from './functionKind.ts';
import { parseCliArgs } from './parseCliArgs.ts';

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
  function: { type: 'string' },
  suite: { type: 'string' },
  url: { type: 'string' },
  'url-auth': { type: 'string' },
  local: { type: 'boolean' },
  region: { type: 'string' },
  'database-url': { type: 'string' },
  e2e: { type: 'boolean' },
  'e2e-timeout': { type: 'string' },
  help: { type: 'boolean' },
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

export type { SmokeArgs };
export { parseSmokeArgs, SMOKE_USAGE };
