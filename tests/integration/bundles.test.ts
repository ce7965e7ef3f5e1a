import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqsEvent, sqsRecord } from '../support/events.ts';
import { functionUrlRequest } from '../support/functionUrlRequest.ts';
import { IAM_COLD_START_ENV } from '../support/iamEnvironment.ts';

const run = promisify(execFile);
const outdir = mkdtempSync(join(tmpdir(), 'ingesta-bundles-'));

/** Imports a bundle in a fresh Node process with the given env, runs `script` against its handler. */
const inNode = async (bundle: string, env: Record<string, string>, script: string) => {
  const code = `const m = await import(${JSON.stringify(join(outdir, bundle, 'index.mjs'))});
    const ctx = { awsRequestId: 'bundle-test', getRemainingTimeInMillis: () => 30000 };
    ${script}`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'SILENT', ...env },
  });
  // The handler's own output (EMF metrics lines) comes first; the script prints its answer last.
  const lines = stdout.trim().split('\n');
  return Object.assign(lines.at(-1) ?? '', { before: lines.slice(0, -1) });
};

// Nothing listens on port 9: the pool is lazy, so these calls must not need a database.
const NO_DB = 'postgres://nobody@127.0.0.1:9/none';

describe('Lambda bundles', () => {
  beforeAll(async () => {
    await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--outdir', outdir]);
  }, 120_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes one minified ESM file with a source map per function', () => {
    for (const fn of ['api', 'suscriptor']) {
      const file = join(outdir, fn, 'index.mjs');
      expect(statSync(file).size).toBeGreaterThan(10_000);
      expect(statSync(`${file}.map`).size).toBeGreaterThan(0);
      expect(readFileSync(file, 'utf8')).toContain('sourceMappingURL=index.mjs.map');
    }
  });

  it('the API bundle exports handler and answers a Function URL event, with English validation messages', async () => {
    const event = JSON.stringify(functionUrlRequest('POST', '/users', { body: '{"name":"","extra":1}' }));
    const out = await inNode(
      'api',
      { DATABASE_URL: NO_DB, TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:t' },
      `const r = await m.handler(${event}, ctx); console.log(JSON.stringify([typeof m.handler, r.statusCode, JSON.parse(r.body).errors]));`,
    );
    // The build drops zod's other locales; its English messages must survive.
    expect(JSON.parse(out)).toEqual([
      'function',
      400,
      expect.arrayContaining([{ path: '(root)', message: 'Unrecognized key: "extra"' }]),
    ]);
  });

  it('the subscriber bundle exports handler and reports a poison record', async () => {
    const event = JSON.stringify(sqsEvent(sqsRecord('poison-1', 'not json')));
    const out = await inNode(
      'suscriptor',
      { DATABASE_URL: NO_DB },
      `console.log(JSON.stringify(await m.handler(${event}, ctx)));`,
    );
    expect(JSON.parse(out)).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison-1' }] });
    // Metrics leave as CloudWatch EMF on stdout, in the Ingesta namespace.
    const emf = out.before.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(emf).toContainEqual(
      expect.objectContaining({
        RecordsFailed: 1,
        RecordsWritten: 0,
        service: 'ingesta-suscriptor',
        _aws: expect.objectContaining({
          CloudWatchMetrics: [expect.objectContaining({ Namespace: 'Ingesta' })],
        }),
      }),
    );
  });

  it('both bundles start with IAM database authentication and no network call before the first query', async () => {
    // Nothing listens on port 9 and no AWS endpoint is reachable: a cold start that called one would fail here.
    const iam = IAM_COLD_START_ENV;
    const poison = JSON.stringify(sqsEvent(sqsRecord('poison-iam', 'not json')));
    const subscriber = await inNode(
      'suscriptor',
      { ...iam, DB_USER: 'ingesta_subscriber' },
      `console.log(JSON.stringify(await m.handler(${poison}, ctx)));`,
    );
    expect(JSON.parse(subscriber)).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison-iam' }] });

    const health = JSON.stringify(functionUrlRequest('GET', '/health'));
    const api = await inNode(
      'api',
      { ...iam, DB_USER: 'ingesta_api', TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:t' },
      `const r = await m.handler(${health}, ctx); console.log(JSON.stringify([r.statusCode, JSON.parse(r.body).detail]));`,
    );
    // The first query signs a token and dials the database, which refuses: a 503, not a crash.
    expect(JSON.parse(api)).toEqual([503, 'The database is unavailable.']);
  });

  it('fails at cold start with a clear message when configuration is missing', async () => {
    const error = await inNode('api', {}, 'console.log(typeof m.handler)').catch(
      (e: { stderr: string }) => e,
    );
    expect((error as { stderr: string }).stderr).toMatch(
      /Invalid configuration: .*DATABASE_URL: set DATABASE_URL, or DB_SECRET_ARN with DB_HOST/,
    );
    expect((error as { stderr: string }).stderr).toMatch(/TOPIC_ARN/);
  });
});
