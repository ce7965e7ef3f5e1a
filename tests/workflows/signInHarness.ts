import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKFLOW_DIR } from './workflowModel.ts';

const SIGN_IN_SCRIPT_PATH = join(WORKFLOW_DIR, '..', 'scripts', 'aws-oidc-login.sh');

/**
 * A stand-in for `curl` or `aws`: records its arguments (NUL-separated, one file per call, numbered so
 * the order shows), then prints STUB_<TOOL>_STDOUT / _STDERR and exits with STUB_<TOOL>_EXIT.
 * `aws` also copies the file behind `--web-identity-token file://…`, which the script deletes afterwards.
 */
const stubSource = (tool: 'aws' | 'curl'): string => {
  const upper = tool.toUpperCase();
  return `#!/usr/bin/env bash
set -euo pipefail
calls="$STUB_DIR/calls"
printf '%s\\0' "$@" > "$calls/$(printf '%03d' "$(ls "$calls" | wc -l)")-${tool}"
previous=""
for arg in "$@"; do
  if [[ "$previous" == --web-identity-token ]]; then cp "\${arg#file://}" "$STUB_DIR/token-seen-by-aws"; fi
  previous="$arg"
done
if [[ -n "\${STUB_${upper}_STDERR:-}" ]]; then printf '%s\\n' "$STUB_${upper}_STDERR" >&2; fi
if [[ -n "\${STUB_${upper}_STDOUT:-}" ]]; then printf '%s\\n' "$STUB_${upper}_STDOUT"; fi
exit "\${STUB_${upper}_EXIT:-0}"
`;
};

type Call = { tool: string; args: string[] };

type SignInRun = {
  status: number | null;
  stdout: string;
  stderr: string;
  /** What the script left in $GITHUB_ENV for the job's later steps. */
  githubEnv: string;
  /** curl and aws invocations, in order. */
  calls: Call[];
  /** The ID token file as `aws` read it, if it was called with one. */
  tokenSeenByAws: string | undefined;
  /** $RUNNER_TEMP of the run (removed afterwards), and what the script left in it. */
  runnerTemp: string;
  leftInRunnerTemp: string[];
};

type SignInOptions = {
  /** The step's and the runner's variables; only these (and PATH) reach the script. */
  env: Record<string, string>;
  /** $GITHUB_ENV as earlier steps left it. */
  githubEnvBefore?: string;
};

/** Runs the sign-in script as a job step would, with stub `curl` and `aws` first on PATH. */
const runSignIn = ({ env, githubEnvBefore = '' }: SignInOptions): SignInRun => {
  const root = mkdtempSync(join(tmpdir(), 'ingesta-sign-in-'));
  const bin = join(root, 'bin');
  const runnerTemp = join(root, 'runner-temp');
  for (const dir of [bin, runnerTemp, join(root, 'calls')]) mkdirSync(dir);
  for (const tool of ['aws', 'curl'] as const) {
    writeFileSync(join(bin, tool), stubSource(tool));
    chmodSync(join(bin, tool), 0o755);
  }
  const githubEnv = join(root, 'github-env');
  writeFileSync(githubEnv, githubEnvBefore);

  const result = spawnSync(SIGN_IN_SCRIPT_PATH, [], {
    encoding: 'utf8',
    env: {
      PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      STUB_DIR: root,
      RUNNER_TEMP: runnerTemp,
      GITHUB_ENV: githubEnv,
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '2',
      ...env,
    },
  });
  try {
    if (result.error) throw result.error;
    return collect(root, runnerTemp, githubEnv, result);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
};

const collect = (
  root: string,
  runnerTemp: string,
  githubEnv: string,
  result: { status: number | null; stdout: string; stderr: string },
): SignInRun => {
  const calls = readdirSync(join(root, 'calls'))
    .sort()
    .map((file) => ({
      tool: file.replace(/^\d+-/, ''),
      args: readFileSync(join(root, 'calls', file), 'utf8')
        .split('\0')
        .slice(0, -1),
    }));
  const seen = join(root, 'token-seen-by-aws');
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    githubEnv: readFileSync(githubEnv, 'utf8'),
    calls,
    tokenSeenByAws: existsSync(seen) ? readFileSync(seen, 'utf8') : undefined,
    runnerTemp,
    leftInRunnerTemp: readdirSync(runnerTemp),
  };
};

/** The OIDC branch parses the token response with jq, as GitHub's runners have it. */
const hasJq = (): boolean => spawnSync('jq', ['--version']).status === 0;

export type { Call, SignInOptions, SignInRun };
export { hasJq, runSignIn, SIGN_IN_SCRIPT_PATH };
