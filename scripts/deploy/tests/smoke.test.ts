import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchema } from '#tests/support/testDatabase.ts';
import { runEndToEnd } from '../endToEnd.ts';
import { createLocalPipeline, LocalInvoker, type LocalPipeline } from '../invokers.ts';
import { createSmokeUser } from '../smokeChecks.ts';
import { runLocalSmoke } from '../smokeReport.ts';

const run = promisify(execFile);

// On PostgreSQL when DATABASE_URL is set (in a private schema), otherwise in-memory PGlite.
const baseUrl = process.env.DATABASE_URL || undefined;
let schema: { url: string; drop(): Promise<void> } | undefined;

beforeAll(async () => {
  if (baseUrl) schema = await createSchema(baseUrl);
});

afterAll(async () => {
  await schema?.drop();
});

const databaseArgs = (): string[] => (schema ? ['--database-url', schema.url] : []);

describe(`smoke suites against the local handlers (${baseUrl ? 'PostgreSQL' : 'PGlite'})`, () => {
  let pipeline: LocalPipeline;

  beforeAll(async () => {
    pipeline = await createLocalPipeline(schema ? { databaseUrl: schema.url } : {});
  });

  afterAll(async () => {
    await pipeline.close();
  });

  it('pass every API and subscriber check the deploy runs', async () => {
    const { reports } = await runLocalSmoke(pipeline, ['api', 'suscriptor']);

    const failures = reports.flatMap((report) => report.outcomes.filter((outcome) => !outcome.passed));
    expect(failures).toEqual([]);
    expect(reports.map((report) => [report.target, report.outcomes.length])).toEqual([
      ['local:ingesta-api', 4],
      ['local:ingesta-suscriptor', 1],
    ]);
  });

  it('see a posted user arrive through topic, queue and subscriber', async () => {
    const api = new LocalInvoker('ingesta-api', pipeline.apiHandler);

    const result = await runEndToEnd(api, { user: createSmokeUser(), timeoutMs: 10_000, intervalMs: 50 });

    expect(result.userId).toMatch(/^\d+$/);
    expect(result.visibleAfterMs).toBeLessThan(10_000);
  });
});

describe('npm run smoke -- --local', () => {
  it('prints the check tables and exits 0 when every check passes', async () => {
    const { stdout } = await run('npx', ['tsx', 'scripts/deploy/smoke.ts', '--local', ...databaseArgs()], {
      env: { ...process.env, DATABASE_URL: '' },
    });

    expect(stdout).toContain('Smoke checks against local:ingesta-api');
    expect(stdout).toContain('Smoke checks against local:ingesta-suscriptor');
    expect(stdout).toMatch(/SQS batch \(1 valid, 1 invalid\) → only invalid fails\s+PASS/);
    expect(stdout).toContain('Smoke test passed.');
  });

  it('exits 2 with the usage when no target is given', async () => {
    const failure = await run('npx', ['tsx', 'scripts/deploy/smoke.ts']).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );

    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('Give at least one target');
  });
});
