import { spawnSync } from 'node:child_process';
import { type Job, type Step, triggersOf, usesOf, type Workflow } from './workflowModel.ts';

const PINNED_ACTION = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/;
const LOCAL_WORKFLOW = /^\.\/\.github\/workflows\/[\w.-]+\.ya?ml$/;
const OIDC_MARKER = 'ACTIONS_ID_TOKEN_REQUEST_URL';
/** The one AWS sign-in, as workflows call it (from the repository root, after the checkout). */
const SIGN_IN_SCRIPT = '.github/scripts/aws-oidc-login.sh';
/** What only a sign-in does: request the Actions ID token, or trade one with STS. */
const INLINE_SIGN_IN = [OIDC_MARKER, 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'assume-role-with-web-identity'];

/** Resolves `./.github/workflows/x.yml` to its parsed workflow, when it is in the repository. */
type ResolveLocal = (path: string) => Workflow | undefined;

/** Actions must be pinned to a full commit SHA; in-repo reusable workflows are pinned by the commit. */
const findUnpinnedUses = (workflow: Workflow): string[] =>
  usesOf(workflow)
    .filter(({ uses }) => !PINNED_ACTION.test(uses) && !LOCAL_WORKFLOW.test(uses))
    .map(({ job, uses }) => `${job}: ${uses} is not pinned to a commit SHA`);

const idTokenOf = (job: Job): unknown =>
  typeof job.permissions === 'object' && job.permissions !== null
    ? (job.permissions as Record<string, unknown>)['id-token']
    : undefined;

const callsSignInScript = (step: Step): boolean => (step.run ?? '').includes(SIGN_IN_SCRIPT);

/**
 * A job runs OIDC if a step calls the sign-in script or requests the Actions ID token itself, or it
 * calls a workflow that does.
 */
const jobRunsOidc = (job: Job, resolveLocal: ResolveLocal): boolean => {
  if (job.uses && LOCAL_WORKFLOW.test(job.uses)) {
    const called = resolveLocal(job.uses);
    return (
      called !== undefined &&
      Object.values(called.jobs).some((calledJob) => jobRunsOidc(calledJob, resolveLocal))
    );
  }
  return (job.steps ?? []).some((step) => callsSignInScript(step) || (step.run ?? '').includes(OIDC_MARKER));
};

/** AWS sign-in lives in one script; a `run:` block doing it inline is a copy that will drift. */
const findInlineSignIn = (workflow: Workflow): string[] =>
  Object.entries(workflow.jobs).flatMap(([name, job]) =>
    (job.steps ?? []).flatMap((step, index) => {
      const run = step.run ?? '';
      const found = INLINE_SIGN_IN.filter((marker) => run.includes(marker));
      return found.length === 0
        ? []
        : [
            `${name} step ${step.name ?? index + 1}: signs in inline (${found.join(', ')}); call ${SIGN_IN_SCRIPT}`,
          ];
    }),
  );

/**
 * `permissions: {}` at the top; each job grants its own, never `write-all`; `id-token: write` in
 * exactly the jobs that run OIDC.
 */
const findPermissionViolations = (workflow: Workflow, resolveLocal: ResolveLocal): string[] => {
  const violations: string[] = [];
  const top = workflow.permissions;
  if (typeof top !== 'object' || top === null || Object.keys(top).length > 0) {
    violations.push('top-level permissions must be {}');
  }
  for (const [name, job] of Object.entries(workflow.jobs)) {
    if (job.permissions === undefined) violations.push(`${name}: no permissions block`);
    if (typeof job.permissions === 'string') violations.push(`${name}: permissions "${job.permissions}"`);
    const oidc = jobRunsOidc(job, resolveLocal);
    const idToken = idTokenOf(job);
    if (idToken === 'write' && !oidc) violations.push(`${name}: id-token: write without OIDC`);
    if (oidc && idToken !== 'write') violations.push(`${name}: runs OIDC without id-token: write`);
  }
  return violations;
};

const CHECKOUT = /^actions\/checkout@/;
/** Inputs a plain `git fetch` + `git checkout` reproduces. */
const PLAIN_GIT_INPUTS = new Set(['ref', 'persist-credentials', 'fetch-depth']);

/**
 * Deploy workflows: dispatched by hand (or reusable, called by those), only `actions/checkout`, used
 * in a way a plain git fetch could replace, and a non-cancelling concurrency group on entry points.
 */
const findDeployViolations = (workflow: Workflow, text: string): string[] => {
  const violations: string[] = [];
  const triggers = triggersOf(workflow);
  const reusable = triggers.length === 1 && triggers[0] === 'workflow_call';
  if (!reusable && (triggers.length !== 1 || triggers[0] !== 'workflow_dispatch')) {
    violations.push(`triggers ${JSON.stringify(triggers)}; deploys run by workflow_dispatch only`);
  }
  for (const { job, uses } of usesOf(workflow)) {
    if (!CHECKOUT.test(uses) && !LOCAL_WORKFLOW.test(uses)) violations.push(`${job}: uses ${uses}`);
  }
  for (const [name, job] of Object.entries(workflow.jobs)) {
    for (const step of job.steps ?? []) {
      if (!step.uses || !CHECKOUT.test(step.uses)) continue;
      for (const input of Object.keys(step.with ?? {})) {
        if (!PLAIN_GIT_INPUTS.has(input))
          violations.push(`${name}: checkout input "${input}" has no plain git equivalent`);
      }
      if (step.id && text.includes(`steps.${step.id}.`))
        violations.push(`${name}: reads the checkout step's outputs`);
    }
  }
  if (!reusable) {
    const concurrency = workflow.concurrency as
      | { group?: unknown; 'cancel-in-progress'?: unknown }
      | undefined;
    if (typeof concurrency?.group !== 'string' || concurrency.group === '') {
      violations.push('no concurrency group');
    } else if (concurrency['cancel-in-progress'] !== false) {
      violations.push('concurrency must not cancel a deploy in progress');
    }
  }
  return violations;
};

/** `bash -n` on every `run:` block, with `${{ … }}` expressions replaced by a plain word. */
const findShellSyntaxErrors = (workflow: Workflow): string[] =>
  Object.entries(workflow.jobs).flatMap(([name, job]) =>
    (job.steps ?? []).flatMap((step, index) => {
      if (!step.run) return [];
      const script = step.run.replaceAll(/\$\{\{[^}]*\}\}/g, 'EXPR');
      const result = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
      return result.status === 0 ? [] : [`${name} step ${step.name ?? index + 1}: ${result.stderr.trim()}`];
    }),
  );

export type { ResolveLocal };
export {
  callsSignInScript,
  findDeployViolations,
  findInlineSignIn,
  findPermissionViolations,
  findShellSyntaxErrors,
  findUnpinnedUses,
  jobRunsOidc,
  SIGN_IN_SCRIPT,
};
