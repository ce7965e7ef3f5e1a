import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('writes a minified ESM entry per function, and every file beside it with its source map', () => {
    for (const fn of ['api', 'suscriptor']) {
      const file = join(outdir, fn, 'index.mjs');
      expect(statSync(file).size).toBeGreaterThan(10_000);
      expect(readFileSync(file, 'utf8')).toContain('sourceMappingURL=index.mjs.map');
      for (const chunk of readdirSync(join(outdir, fn)).filter((f) => f.endsWith('.mjs'))) {
        expect(statSync(join(outdir, fn, `${chunk}.map`)).size).toBeGreaterThan(0);
      }
    }
  });

  it('a cold start on DATABASE_URL loads neither the SNS client, the IAM signer, Secrets Manager, the users routes nor the OpenAPI document', async () => {
    // Without the files that hold them, the API still starts and answers GET /health: they are only loaded
    // on the path that needs them (the first POST, DB_IAM_AUTH, a secret, a users route, /openapi.json).
    const lean = join(outdir, 'api-lean');
    cpSync(join(outdir, 'api'), lean, { recursive: true });
    const removed = readdirSync(lean).filter(
      (f) =>
        f.endsWith('.mjs') &&
        /AmazonSimpleNotificationService|GetSecretValue|rds-db|Idempotency-Key response could not be stored|A user to create or update/.test(
          readFileSync(join(lean, f), 'utf8'),
        ),
    );
    expect(removed.length).toBeGreaterThanOrEqual(5);
    expect(removed).not.toContain('index.mjs');
    for (const f of removed) rmSync(join(lean, f));
    const health = JSON.stringify(functionUrlRequest('GET', '/health'));
    const out = await inNode(
      'api-lean',
      { DATABASE_URL: NO_DB, TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:t' },
      `const r = await m.handler(${health}, ctx); console.log(JSON.stringify(r.statusCode));`,
    );
    expect(JSON.parse(out)).toBe(503);
  });

  it("leaves out zod's compiler and JSON Schema reader, which nothing calls", () => {
    for (const fn of ['api', 'suscriptor']) {
      for (const file of readdirSync(join(outdir, fn)).filter((f) => f.endsWith('.mjs'))) {
        const text = readFileSync(join(outdir, fn, file), 'utf8');
        expect(text, file).not.toContain('z.compile does not support');
        expect(text, file).not.toContain('unevaluatedItems is not supported');
      }
    }
  });

  it('validates with zod/mini only: no file of either bundle carries classic zod', () => {
    // Classic zod's classes cost a cold start far more than zod/mini's functions over the same core.
    for (const fn of ['api', 'suscriptor']) {
      const files = readdirSync(join(outdir, fn)).filter((f) => f.endsWith('.mjs'));
      const texts = files.map((f) => readFileSync(join(outdir, fn, f), 'utf8'));
      expect(texts.some((text) => text.includes('"ZodMiniType"'))).toBe(true);
      for (const [i, text] of texts.entries()) expect(text, files[i]).not.toContain('"ZodType"');
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

  it('the API bundle serves the committed OpenAPI document, loading its route on the first request', async () => {
    const event = JSON.stringify(functionUrlRequest('GET', '/openapi.json'));
    const out = await inNode(
      'api',
      { DATABASE_URL: NO_DB, TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:t' },
      `const r = await m.handler(${event}, ctx); console.log(JSON.stringify([r.statusCode, JSON.parse(r.body)]));`,
    );
    expect(JSON.parse(out)).toEqual([200, JSON.parse(readFileSync('docs/openapi.json', 'utf8'))]);
  });

  it('the API bundle loads the SNS client on the first POST and publishes with it', async () => {
    // A loopback SNS endpoint (query protocol) stands in for AWS; the request it gets is a real Publish.
    const actions: string[] = [];
    const sns = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        actions.push(new URLSearchParams(body).get('Action') ?? '');
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>',
        );
      });
    });
    await new Promise<void>((r) => sns.listen(0, '127.0.0.1', r));
    try {
      const post = JSON.stringify(
        functionUrlRequest('POST', '/users', { body: '{"name":"Ada","email":"ada@x.io"}' }),
      );
      const out = await inNode(
        'api',
        {
          DATABASE_URL: NO_DB,
          TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:t',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'example',
          AWS_ENDPOINT_URL_SNS: `http://127.0.0.1:${(sns.address() as AddressInfo).port}`,
        },
        `const r = await m.handler(${post}, ctx); console.log(JSON.stringify([r.statusCode, JSON.parse(r.body).messageId]));`,
      );
      expect(JSON.parse(out)).toEqual([202, 'm-1']);
      expect(actions).toEqual(['Publish']);
    } finally {
      await new Promise<void>((r) => sns.close(() => r()));
    }
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
          CloudWatchMetrics: expect.arrayContaining([
            expect.objectContaining({
              Namespace: 'Ingesta',
              Metrics: expect.arrayContaining([{ Name: 'RecordsFailed', Unit: 'Count' }]),
            }),
          ]),
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
