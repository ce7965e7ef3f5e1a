import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..', 'auditProduction.ts');
const root = mkdtempSync(join(tmpdir(), 'ingesta-audit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A stand-in `npm` first on PATH: records its arguments, prints STUB_STDOUT's file, exits STUB_EXIT. */
writeFileSync(
  join(root, 'npm'),
  `#!/usr/bin/env bash
printf '%s ' "$@" > "$STUB_ARGS"
cat "$STUB_STDOUT"
[[ -n "\${STUB_STDERR:-}" ]] && printf '%s\\n' "$STUB_STDERR" >&2
exit "$STUB_EXIT"
`,
);
chmodSync(join(root, 'npm'), 0o755);

/** npm 10/11's report with one high advisory reaching a production dependency. */
const HIGH_REPORT = {
  auditReportVersion: 2,
  vulnerabilities: {
    'path-to-regexp': {
      name: 'path-to-regexp',
      severity: 'high',
      isDirect: false,
      via: [
        {
          source: 1101850,
          name: 'path-to-regexp',
          dependency: 'path-to-regexp',
          title: 'path-to-regexp outputs backtracking regular expressions',
          url: 'https://github.com/advisories/GHSA-9wv6-86v2-598j',
          severity: 'high',
          cwe: ['CWE-1333'],
          cvss: { score: 7.5, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' },
          range: '<0.1.10',
        },
      ],
      effects: [],
      range: '<0.1.10',
      nodes: ['node_modules/path-to-regexp'],
      fixAvailable: true,
    },
  },
  metadata: {
    vulnerabilities: { info: 0, low: 0, moderate: 0, high: 1, critical: 0, total: 1 },
    dependencies: { prod: 46, dev: 310, optional: 40, peer: 0, peerOptional: 0, total: 395 },
  },
};
const CLEAN_REPORT = {
  auditReportVersion: 2,
  vulnerabilities: {},
  metadata: {
    vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 },
    dependencies: { prod: 46, dev: 310, optional: 40, peer: 0, peerOptional: 0, total: 395 },
  },
};
/** What npm 11 printed on this machine, whose registry mirror refuses the advisory endpoint. */
const REFUSED = {
  message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
  method: 'POST',
  uri: 'https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
  headers: { allow: ['GET,HEAD'] },
  statusCode: 405,
  body: '',
  error: { summary: '', detail: '' },
};
const OFFLINE = {
  error: {
    code: 'ENOTFOUND',
    summary:
      'request to https://registry.npmjs.org/-/npm/v1/security/advisories/bulk failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org',
    detail: '',
  },
};
const NO_LOCKFILE = {
  error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.', detail: '' },
};

let runs = 0;
const audit = (stdout: object, exit: number, env: Record<string, string> = {}) => {
  runs += 1;
  const out = join(root, `stdout-${runs}.json`);
  const args = join(root, `args-${runs}`);
  writeFileSync(out, JSON.stringify(stdout, null, 2));
  const { GITHUB_ACTIONS: _unset, ...rest } = process.env;
  const run = spawnSync(process.execPath, ['--import', 'tsx', CLI], {
    encoding: 'utf8',
    env: {
      ...rest,
      PATH: `${root}:${process.env.PATH}`,
      STUB_STDOUT: out,
      STUB_EXIT: String(exit),
      STUB_ARGS: args,
      ...env,
    },
  });
  return { ...run, args: readFileSync(args, 'utf8').trim() };
};

describe('the production npm audit (ci.yml, .ci/run)', () => {
  it('audits only production dependencies, at level high, as JSON', () => {
    expect(audit(CLEAN_REPORT, 0).args).toBe('audit --omit=dev --audit-level=high --json');
  });

  it('passes a clean report and says how many dependencies it checked', () => {
    const run = audit(CLEAN_REPORT, 0, { GITHUB_ACTIONS: 'true' });

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('no high or critical advisory in 46 production dependencies');
  });

  it('fails on a high advisory and names it, locally and on GitHub', () => {
    const local = audit(HIGH_REPORT, 1);
    const github = audit(HIGH_REPORT, 1, { GITHUB_ACTIONS: 'true' });

    expect(local.status).toBe(1);
    expect(local.stderr).toContain(
      'HIGH  path-to-regexp <0.1.10  path-to-regexp outputs backtracking regular expressions  https://github.com/advisories/GHSA-9wv6-86v2-598j',
    );
    expect(github.status).toBe(1);
    expect(github.stderr).toContain('::error title=npm audit::1 high or critical advisories');
  });

  it.each([
    ['refused by the registry (405)', REFUSED],
    ['offline (ENOTFOUND)', OFFLINE],
  ])('when the advisory service is %s, warns loudly and goes on outside GitHub', (_case, answer) => {
    const run = audit(answer, 1);

    expect(run.status).toBe(0);
    expect(run.stderr).toContain('npm audit COULD NOT REACH the advisory service');
    expect(run.stderr).toContain('were NOT checked for known vulnerabilities');
  });

  it.each([
    ['refused by the registry (405)', REFUSED],
    ['offline (ENOTFOUND)', OFFLINE],
  ])('when the advisory service is %s, fails on GitHub Actions', (_case, answer) => {
    const run = audit(answer, 1, { GITHUB_ACTIONS: 'true' });

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/::error title=npm audit::advisory service unreachable: /);
  });

  it('fails on any other npm error, even outside GitHub', () => {
    const run = audit(NO_LOCKFILE, 1);

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm audit failed: This command requires an existing lockfile.');
  });

  it('does not pass a run that exits non-zero with an empty report', () => {
    expect(audit(CLEAN_REPORT, 1).status).toBe(1);
  });
});
