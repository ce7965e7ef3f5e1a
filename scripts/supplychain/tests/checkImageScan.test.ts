import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..', 'checkImageScan.ts');
const FIXTURES = join(import.meta.dirname, 'fixtures');
const DIGEST = 'sha256:4f3c8a0b5e2d1c9f7a6b3e8d2c1f0a9b8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b';
const work = mkdtempSync(join(tmpdir(), 'ingesta-scan-gate-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the gate as the deploy workflow does, with a job summary file. */
const runGate = (fixture: string, extra: string[] = [], exceptions = '{"exceptions": []}') => {
  const summary = join(work, `summary-${Math.random().toString(16).slice(2)}.md`);
  const exceptionsFile = join(work, `exceptions-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(summary, '');
  writeFileSync(exceptionsFile, exceptions);
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      '--findings',
      join(FIXTURES, `describe-image-scan-findings.${fixture}.json`),
      '--digest',
      DIGEST,
      '--function',
      'api',
      '--exceptions',
      exceptionsFile,
      '--today',
      '2026-12-01',
      ...extra,
    ],
    { encoding: 'utf8', env: { ...process.env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } },
  );
  return { ...run, summary: readFileSync(summary, 'utf8') };
};

describe('checkImageScan (the deploy step)', () => {
  it('exits 0 on a clean scan and writes the verdict to the job summary', () => {
    const run = runGate('clean');

    expect(run.status).toBe(0);
    expect(run.summary).toContain('### Scan gate: passed');
  });

  it('exits 1 on findings at the threshold, with an error annotation and the findings in the summary', () => {
    const run = runGate('high');

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('::error title=Scan gate::2 finding(s) at HIGH or above');
    expect(run.summary).toContain(
      '| CRITICAL | [CVE-2026-0001](https://alas.aws.amazon.com/cve/html/CVE-2026-0001.html) | openssl-libs 3.0.8-1.amzn2023.0.14 |',
    );
  });

  it('takes the threshold from --threshold', () => {
    expect(runGate('high', ['--threshold', 'CRITICAL']).status).toBe(1);
    expect(
      runGate(
        'high',
        ['--threshold', 'CRITICAL'],
        JSON.stringify({
          exceptions: [{ id: 'CVE-2026-0001', reason: 'fixed upstream next week', expires: '2026-12-15' }],
        }),
      ).status,
    ).toBe(0);
  });

  it('exits 2 on a truncated findings file, saying it cannot decide', () => {
    const run = runGate('truncated');

    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Scan gate cannot decide: scan findings: cannot read .* as JSON/);
  });

  it('exits 2 and prints the usage on an unknown threshold', () => {
    const run = runGate('clean', ['--threshold', 'SEVERE']);

    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Usage: checkImageScan.ts');
  });
});
