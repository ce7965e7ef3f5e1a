/**
 * Cold start, whole process: a fresh Node that imports a bundle and handles one event, against anchor
 * bundles built in the same run with the same esbuild options (scripts/lambdaBuildOptions.ts) (pg only; pg + SNS client). Every case
 * runs in turn within a block, so all see the same machine state; 3 blocks give a median and a spread.
 * Children get a clean environment, as Lambda's (an inherited NODE_EXTRA_CA_CERTS alone adds ~30 ms to
 * every start), with the image's NODE_OPTIONS (--enable-source-maps); its cost is reported apart.
 */
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { lambdaBuildOptions } from '#scripts/lambdaBuildOptions.ts';
import { migrate } from '#shared/store/migrate.ts';
import { migrations } from '#shared/store/migrations/index.ts';
import { PgExecutor } from '#shared/store/pg/pgExecutor.ts';
import { snsEnvelopeBody, sqsEvent, sqsRecord, userEventBody } from '#tests/support/events.ts';
import { functionUrlRequest } from '#tests/support/functionUrlRequest.ts';
import { IAM_COLD_START_ENV } from '#tests/support/iamEnvironment.ts';
import { record } from './report.ts';
import { median, ratios, spread } from './stats.ts';

const run = promisify(execFile);
/**
 * The Node that runs the cold starts: this one, or BENCH_NODE (say, the major version Lambda runs). Node 20
 * loads undici (~20 ms) when pg first connects, because pg probes for Cloudflare Workers through the global
 * `Response` where Node 21+ has `navigator`; that cost lands on ours and the anchors alike and flattens ratios.
 */
const NODE = process.env.BENCH_NODE || process.execPath;
const SOURCE_MAPS = '--enable-source-maps';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:bench';

/** The anchors, bundled with the options scripts/build.ts bundles ours with. */
const buildAnchors = async (outdir: string): Promise<{ pg: string; pgSns: string }> => {
  for (const [name, entry] of [
    ['pg', 'bench/anchors/pgOnly.ts'],
    ['pgSns', 'bench/anchors/pgSns.ts'],
  ] as const) {
    await build(lambdaBuildOptions(entry, join(outdir, 'anchors', name)));
  }
  return {
    pg: resolve(outdir, 'anchors', 'pg', 'index.mjs'),
    pgSns: resolve(outdir, 'anchors', 'pgSns', 'index.mjs'),
  };
};

/** A loopback SNS endpoint (query protocol) that accepts every Publish, for the publishing paths. */
const snsStub = async () => {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n += 1;
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-${n}</MessageId></PublishResult><ResponseMetadata><RequestId>r-${n}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
};

interface Case {
  name: string;
  bundle: string;
  event: unknown;
  env: Record<string, string>;
  /** What the call must answer, so a broken case fails the bench instead of timing an error path. */
  expect: string;
  nodeOptions?: string;
}

const script = (c: Case): string => `const m = await import(${JSON.stringify(c.bundle)});
  const r = await m.handler(${JSON.stringify(c.event)}, { awsRequestId: 'b', getRemainingTimeInMillis: () => 30000 });
  process.stdout.write('\\nRESULT ' + JSON.stringify(r ?? null));
  // The answer is the end of a cold start; an idle pooled connection would keep the process alive.
  process.exit(0);`;

const wall = async (c: Case, clean: Record<string, string>): Promise<number> => {
  const env = { ...clean, ...c.env, NODE_OPTIONS: c.nodeOptions ?? SOURCE_MAPS };
  const start = performance.now();
  const { stdout } = await run(NODE, ['--input-type=module', '-e', script(c)], { env });
  const ms = performance.now() - start;
  const result = stdout.slice(stdout.lastIndexOf('\nRESULT ') + 8);
  if (!result.includes(c.expect))
    throw new Error(`cold start ${c.name}: expected ${c.expect}, got ${result}`);
  return ms;
};

const kb = (dir: string): number =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0) / 1024;

const coldStart = async (distDir: string, databaseUrl: string, runs: number, blocks = 3): Promise<void> => {
  const db = new PgExecutor(new (await import('pg')).default.Pool({ connectionString: databaseUrl, max: 1 }));
  await migrate(db, migrations);
  await db.close();
  const anchors = await buildAnchors(distDir);
  const sns = await snsStub();
  const clean = {
    PATH: process.env.PATH ?? '',
    LOG_LEVEL: 'SILENT',
    NODE_NO_WARNINGS: '1',
    TOPIC_ARN,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'example',
    AWS_ENDPOINT_URL_SNS: sns.url,
  };
  const api = resolve(distDir, 'api', 'index.mjs');
  const sub = resolve(distDir, 'suscriptor', 'index.mjs');
  const url = { DATABASE_URL: databaseUrl };
  const post = functionUrlRequest('POST', '/users', {
    body: JSON.stringify({ name: 'Cold Start', email: 'cold@bench.io' }),
    headers: { 'content-type': 'application/json' },
  });
  const batch = sqsEvent(sqsRecord('cold-1', snsEnvelopeBody(userEventBody('cold@bench.io'))));
  const iam = (user: string) => ({ ...IAM_COLD_START_ENV, DB_USER: user });
  const cases = {
    node: { name: 'node -e 0', bundle: '', event: null, env: {}, expect: '' },
    pg: { name: 'pg only', bundle: anchors.pg, event: {}, env: url, expect: '"statusCode":200' },
    pgSns: { name: 'pg + SNS', bundle: anchors.pgSns, event: {}, env: url, expect: '"statusCode":202' },
    get: {
      name: 'api GET /health',
      bundle: api,
      event: functionUrlRequest('GET', '/health'),
      env: url,
      expect: '"statusCode":200',
    },
    getNoMaps: {
      name: 'api GET /health, no source maps',
      bundle: api,
      event: functionUrlRequest('GET', '/health'),
      env: url,
      expect: '"statusCode":200',
      nodeOptions: '',
    },
    post: { name: 'api POST /users', bundle: api, event: post, env: url, expect: '"statusCode":202' },
    sub: { name: 'suscriptor', bundle: sub, event: batch, env: url, expect: '"batchItemFailures":[]' },
    getIam: {
      name: 'api GET /health, DB_IAM_AUTH',
      bundle: api,
      event: functionUrlRequest('GET', '/health'),
      env: iam('ingesta_api'),
      expect: '"statusCode":503',
    },
  } satisfies Record<string, Case>;
  type Name = keyof typeof cases;
  const blockMedians = Object.fromEntries(Object.keys(cases).map((k) => [k, [] as number[]])) as Record<
    Name,
    number[]
  >;
  try {
    for (let b = 0; b < blocks; b += 1) {
      const times = Object.fromEntries(Object.keys(cases).map((k) => [k, [] as number[]])) as Record<
        Name,
        number[]
      >;
      for (let i = 0; i < runs; i += 1) {
        for (const [name, c] of Object.entries(cases) as [Name, Case][]) {
          if (name === 'node') {
            const start = performance.now();
            await run(NODE, ['-e', '0'], { env: { ...clean, NODE_OPTIONS: SOURCE_MAPS } });
            times.node.push(performance.now() - start);
          } else times[name].push(await wall(c, clean));
        }
      }
      for (const name of Object.keys(cases) as Name[]) blockMedians[name].push(median(times[name]));
    }
  } finally {
    await sns.close();
  }
  const ms = (name: Name) => `${spread(blockMedians[name], 0)} ms`;
  const nodeVersion = (await run(NODE, ['--version'])).stdout.trim();
  const anchorText = `pg only ${ms('pg')}; pg + SNS ${ms('pgSns')}; node -e 0 ${ms('node')}`;
  const row = (name: Name, anchor: 'pg' | 'pgSns', goal: string) =>
    record({
      suite: 'cold start',
      measure: `${cases[name].name}: import + first call (${blocks}×${runs}, ${SOURCE_MAPS}, node ${nodeVersion})`,
      ours: ms(name),
      anchor: anchorText,
      ratio: `${spread(ratios(blockMedians[name], blockMedians[anchor]))}× ${anchor === 'pg' ? 'pg only' : 'pg + SNS'} (goal ${goal})`,
    });
  row('get', 'pg', '≤ 1.5×');
  row('post', 'pgSns', '≤ 1.0×');
  row('sub', 'pg', '≤ 1.5×');
  row('getIam', 'pg', 'none; IAM signs a token locally');
  for (const [name, without] of [['get', 'getNoMaps']] as const) {
    const cost = blockMedians[name].map((m, i) => m - (blockMedians[without][i] as number));
    record({
      suite: 'cold start',
      measure: `${cases[name].name}: cost of ${SOURCE_MAPS}`,
      ours: `${spread(cost, 0)} ms`,
      anchor: `without: ${ms(without)}`,
      ratio: `${spread(ratios(blockMedians[name], blockMedians[without]))}×`,
    });
  }
  const sizes = { pg: kb(join(distDir, 'anchors', 'pg')), pgSns: kb(join(distDir, 'anchors', 'pgSns')) };
  for (const fn of ['api', 'suscriptor']) {
    const size = kb(join(distDir, fn));
    record({
      suite: 'bundle',
      measure: `${fn}: dist/${fn}/*.mjs`,
      ours: `${size.toFixed(0)} KB`,
      anchor: `pg only ${sizes.pg.toFixed(0)} KB; pg + SNS ${sizes.pgSns.toFixed(0)} KB`,
      ratio: `${(size / sizes.pgSns).toFixed(2)}× pg + SNS`,
    });
  }
};

export { coldStart };
