import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { requirement } from './requirement.ts';
import { postgresqlRequirement } from './testDatabase.ts';

const run = promisify(execFile);

interface AssertionResult {
  fullName: string;
  status: string;
  failureMessages: string[];
}

/** Runs the PostgreSQL suite of a real test file in a fresh vitest, without DATABASE_URL, and reports on it. */
const runPostgresSuiteWithout = async (env: Record<string, string>) => {
  const outcome = await run(
    'node_modules/.bin/vitest',
    ['run', 'tests/integration/migrateCommand.test.ts', '-t', 'on PostgreSQL', '--reporter=json'],
    { env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env } },
  ).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
  const report = JSON.parse(outcome.stdout) as { testResults: { assertionResults: AssertionResult[] }[] };
  const results = report.testResults
    .flatMap((file) => file.assertionResults)
    .filter((result) => result.fullName.includes('on PostgreSQL'));
  return { code: outcome.code, results };
};

describe('a suite that needs PostgreSQL, run without DATABASE_URL', () => {
  it('is listed as skipped by hand, its title naming what to set', async () => {
    const { code, results } = await runPostgresSuiteWithout({});

    expect(code).toBe(0);
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) {
      expect(result.status).toBe('skipped');
      expect(result.fullName).toContain('(skipped: PostgreSQL: set DATABASE_URL)');
    }
  });

  it('fails with CI=true, saying DATABASE_URL is missing', async () => {
    const { code, results } = await runPostgresSuiteWithout({ CI: 'true' });

    expect(code).toBe(1);
    expect(results.map((result) => result.status)).toEqual(['failed']);
    expect(results[0]?.failureMessages.join('\n')).toContain('PostgreSQL: set DATABASE_URL. CI=true');
  });

  it('is skipped with CI=true on a run that leaves PostgreSQL out on purpose (TEST_DATABASE=pglite)', async () => {
    const { code, results } = await runPostgresSuiteWithout({ CI: 'true', TEST_DATABASE: 'pglite' });

    expect(code).toBe(0);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((result) => result.status === 'skipped')).toBe(true);
  });
});

describe('requirement', () => {
  it('is mandatory only on CI, unless this run leaves it out on purpose', () => {
    expect(requirement('X: install x', { env: {} }).mandatory).toBe(false);
    expect(requirement('X: install x', { env: { CI: 'false' } }).mandatory).toBe(false);
    expect(requirement('X: install x', { env: { CI: 'true' } }).mandatory).toBe(true);
    expect(requirement('X: install x', { env: { CI: '1' } }).mandatory).toBe(true);
    expect(requirement('X: install x', { env: { CI: 'true' }, optional: true }).mandatory).toBe(false);
  });
});

describe('postgresqlRequirement', () => {
  const url = 'postgres://postgres@127.0.0.1:5432/test';

  it('is met by DATABASE_URL, whatever the leg', () => {
    expect(postgresqlRequirement({ DATABASE_URL: url, CI: 'true' }).missing).toBeUndefined();
    expect(postgresqlRequirement({ DATABASE_URL: url, TEST_DATABASE: 'pglite' }).missing).toBeUndefined();
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(postgresqlRequirement({ DATABASE_URL: '' }).missing).toBe('PostgreSQL: set DATABASE_URL');
  });

  it('asks for DATABASE_URL, mandatory on CI', () => {
    expect(postgresqlRequirement({})).toEqual({ missing: 'PostgreSQL: set DATABASE_URL', mandatory: false });
    expect(postgresqlRequirement({ CI: 'true' })).toEqual({
      missing: 'PostgreSQL: set DATABASE_URL',
      mandatory: true,
    });
  });

  it('is optional on the PGlite leg and mandatory on the PostgreSQL leg, by hand too', () => {
    expect(postgresqlRequirement({ CI: 'true', TEST_DATABASE: 'pglite' }).mandatory).toBe(false);
    expect(postgresqlRequirement({ TEST_DATABASE: 'postgresql' }).mandatory).toBe(true);
  });

  it('refuses an unknown TEST_DATABASE rather than guessing', () => {
    expect(() => postgresqlRequirement({ TEST_DATABASE: 'mysql' })).toThrow(/TEST_DATABASE/);
  });
});
