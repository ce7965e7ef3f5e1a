/**
 * `npx tsx scripts/supplychain/auditProduction.ts`: npm audit of the production dependencies, failing on
 * high or critical advisories. When the advisory service cannot be reached it says so loudly; only outside
 * GitHub Actions (GITHUB_ACTIONS unset) does it then let the run go on. Used by ci.yml and .ci/run.
 */
import { spawnSync } from 'node:child_process';
import { interpretAudit } from './npmAudit.ts';

const ARGS = ['audit', '--omit=dev', '--audit-level=high', '--json'];
const onGitHub = Boolean(process.env.GITHUB_ACTIONS);

const banner = (lines: string[]): string => {
  const rule = '!'.repeat(78);
  return [rule, ...lines.map((line) => `!! ${line}`), rule].join('\n');
};

const main = (): number => {
  const run = spawnSync('npm', ARGS, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) {
    console.error(`npm audit could not run: ${run.error.message}`);
    return 1;
  }
  const outcome = interpretAudit({ stdout: run.stdout, stderr: run.stderr, status: run.status });
  switch (outcome.kind) {
    case 'clean':
      console.log(
        `npm audit: no high or critical advisory in ${outcome.dependencies ?? 'the'} production dependencies` +
          (outcome.below > 0 ? ` (${outcome.below} lower ones; see npm audit --omit=dev)` : ''),
      );
      return 0;
    case 'findings':
      console.error(
        `npm audit: ${outcome.findings.length} high or critical advisories in production dependencies:`,
      );
      for (const f of outcome.findings)
        console.error(
          `  ${f.severity.toUpperCase()}  ${f.name} ${f.range ?? ''}  ${f.title}  ${f.url ?? ''}`,
        );
      console.error('Update them (npm audit fix --omit=dev, or a newer direct dependency), then run again.');
      if (onGitHub)
        console.error(`::error title=npm audit::${outcome.findings.length} high or critical advisories`);
      return 1;
    case 'unreachable': {
      const lines = [
        'npm audit COULD NOT REACH the advisory service:',
        outcome.reason,
        'The production dependencies were NOT checked for known vulnerabilities.',
      ];
      if (onGitHub) {
        console.error(banner([...lines, 'On GitHub Actions this fails the run.']));
        console.error(`::error title=npm audit::advisory service unreachable: ${outcome.reason}`);
        return 1;
      }
      console.error(
        banner([...lines, 'Going on because this is not GitHub Actions (GITHUB_ACTIONS is unset).']),
      );
      return 0;
    }
    case 'failed':
      console.error(`npm audit failed: ${outcome.reason}`);
      if (onGitHub) console.error(`::error title=npm audit::${outcome.reason}`);
      return 1;
  }
};

process.exitCode = main();
