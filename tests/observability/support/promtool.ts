import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Requirement, requirement } from '#tests/support/requirement.ts';

/** Debian's prometheus package puts promtool here; .ci/run installs it. PROMTOOL overrides. */
const DEFAULT_PROMTOOL = '/usr/bin/promtool';

interface PromtoolRun {
  readonly code: number | null;
  readonly output: string;
}

class PromtoolMissingError extends Error {
  readonly path: string;

  constructor(path: string, options?: ErrorOptions) {
    super(
      `promtool not found at ${path}. Install it (Debian: apt-get install prometheus) or set PROMTOOL to its path; ` +
        'the alerting rules cannot be verified without it.',
      options,
    );
    this.name = 'PromtoolMissingError';
    this.path = path;
  }
}

function promtoolPath(): string {
  const path = process.env.PROMTOOL ?? DEFAULT_PROMTOOL;
  if (!existsSync(path)) throw new PromtoolMissingError(path);
  return path;
}

/** Skips the suites that run promtool when it is not installed, or fails them on CI. */
const promtool: Requirement = requirement(
  existsSync(process.env.PROMTOOL ?? DEFAULT_PROMTOOL)
    ? undefined
    : `promtool: apt-get install prometheus, or set PROMTOOL (not found at ${process.env.PROMTOOL ?? DEFAULT_PROMTOOL})`,
);

function runPromtool(args: readonly string[], cwd?: string): PromtoolRun {
  const result = spawnSync(promtoolPath(), args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

export type { PromtoolRun };
export { PromtoolMissingError, promtool, promtoolPath, runPromtool };
