import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEPLOY_STEPS } from '#scripts/deploy/deployFlow.ts';
import { actionlint, formatLint } from './actionlint.ts';
import { loadWorkflows, triggersOf, usesOf, WORKFLOW_DIR, type Workflow } from './workflowModel.ts';
import {
  callsSignInScript,
  findDeployViolations,
  findInlineSignIn,
  findPermissionViolations,
  findShellSyntaxErrors,
  findUnpinnedUses,
  jobRunsOidc,
  SIGN_IN_SCRIPT,
} from './workflowPolicy.ts';

const REPO_ROOT = join(WORKFLOW_DIR, '..', '..');
const workflows = loadWorkflows();
const byFile = new Map(workflows.map((entry) => [entry.file, entry]));
const resolveLocal = (path: string): Workflow | undefined =>
  byFile.get(path.split('/').at(-1) ?? '')?.workflow;
const workflow = (file: string): Workflow => {
  const entry = byFile.get(file);
  if (!entry) throw new Error(`${file} is missing`);
  return entry.workflow;
};
/** `${{ body }}`, a GitHub expression as it appears in the YAML. */
const expression = (body: string): string => `\${{ ${body} }}`;
const deployFiles = workflows.filter((entry) => entry.file.startsWith('deploy')).map((entry) => entry.file);
const ownFiles = workflows.map((entry) => entry.file).filter((file) => file !== 'terraform-checks.yml');

describe('every workflow', () => {
  it('exists for CI, both deploys and integration', () => {
    expect(ownFiles).toEqual(
      expect.arrayContaining(['ci.yml', 'deploy-api.yml', 'deploy-suscriptor.yml', 'integration.yml']),
    );
  });

  it.each(workflows.map((entry) => [entry.file, entry] as const))(
    '%s passes actionlint',
    async (_file, entry) => {
      expect(formatLint(await actionlint(entry.text, entry.file))).toEqual([]);
    },
  );

  it.each(workflows.map((entry) => [entry.file, entry.workflow] as const))(
    '%s pins every action to a commit SHA',
    (_file, parsed) => {
      expect(findUnpinnedUses(parsed)).toEqual([]);
    },
  );

  it.each(ownFiles.map((file) => [file] as const))(
    '%s sets permissions: {} and grants id-token: write only to OIDC jobs',
    (file) => {
      expect(findPermissionViolations(workflow(file), resolveLocal)).toEqual([]);
    },
  );

  it.each(workflows.map((entry) => [entry.file, entry.workflow] as const))(
    '%s has run: blocks that bash can parse',
    (_file, parsed) => {
      expect(findShellSyntaxErrors(parsed)).toEqual([]);
    },
  );
});

describe('deploy workflows', () => {
  it('are the two entry points and the reusable workflow they share', () => {
    expect(deployFiles).toEqual(['deploy-api.yml', 'deploy-function.yml', 'deploy-suscriptor.yml']);
  });

  it.each(deployFiles.map((file) => [file] as const))(
    '%s: workflow_dispatch (or called by one), only actions/checkout, concurrency group',
    (file) => {
      expect(findDeployViolations(workflow(file), byFile.get(file)?.text ?? '')).toEqual([]);
    },
  );

  it.each([
    ['deploy-api.yml', 'api'],
    ['deploy-suscriptor.yml', 'suscriptor'],
  ])(
    '%s deploys %s through the reusable workflow, per environment, with an optional image tag',
    (file, fn) => {
      const parsed = workflow(file);
      const dispatch = (
        parsed.on as { workflow_dispatch: { inputs: Record<string, { type: string; required?: boolean }> } }
      ).workflow_dispatch;
      expect(dispatch.inputs.environment).toMatchObject({ type: 'environment', required: true });
      expect(dispatch.inputs.image_tag).toMatchObject({ type: 'string', required: false });
      expect(parsed.jobs.deploy).toMatchObject({
        uses: './.github/workflows/deploy-function.yml',
        with: { function: fn },
      });
      expect(String((parsed.concurrency as { group: string }).group)).toContain(`deploy-${fn}-`);
    },
  );

  it('build with the git SHA, push, and leave the deploy sequence to npm run deploy', () => {
    const job = workflow('deploy-function.yml').jobs.deploy;
    const runs = (job?.steps ?? []).map((step) => step.run ?? '').join('\n');

    expect(job?.env?.IMAGE_TAG).toBe(expression('inputs.image_tag || github.sha'));
    expect(job?.environment).toBe(expression('inputs.environment'));
    expect(runs).toMatch(/docker build [^\n]*--provenance=false/);
    expect(runs).toContain('docker push "$IMAGE"');
    expect(runs).toMatch(/npm run deploy -- \\\n\s+--function "\$FUNCTION"/);
    expect(runs.indexOf('docker push')).toBeLessThan(runs.indexOf('npm run deploy'));
  });
});

describe('deploy-function.yml, read top to bottom', () => {
  const steps = workflow('deploy-function.yml').jobs.deploy?.steps ?? [];
  /** The one step whose run: holds every marker; -1 when none, -2 when several. */
  const stepWith = (...markers: string[]): number => {
    const found = steps.flatMap((step, index) =>
      markers.every((m) => (step.run ?? '').includes(m)) ? [index] : [],
    );
    return found.length === 1 ? (found[0] ?? -1) : found.length === 0 ? -1 : -2;
  };
  const stages = {
    pin: stepWith('.github/scripts/resolve-base-image.sh "app-$FUNCTION/Dockerfile"'),
    build: stepWith('docker build', '--build-arg "BASE_IMAGE=$BASE_IMAGE"'),
    push: stepWith('docker push "$IMAGE"'),
    digest: stepWith('aws ecr describe-images', 'IMAGE_REF=$image_ref', '$GITHUB_STEP_SUMMARY'),
    scanGate: stepWith(
      'aws ecr wait image-scan-complete',
      'describe-image-scan-findings',
      'checkImageScan.ts',
    ),
    sbom: stepWith('/var/task/sbom.cdx.json', 'aws s3api put-object', 'DIGEST/:/-}.cdx.json'),
    deploy: stepWith('npm run deploy', '--image "$IMAGE_REF"'),
  };

  it('shows pin → build → push → digest → scan gate → SBOM → deploy by digest, one step each', () => {
    const order = Object.entries(stages);

    for (const [stage, index] of order) expect(index, stage).toBeGreaterThanOrEqual(0);
    expect([...order].sort(([, a], [, b]) => a - b).map(([stage]) => stage)).toEqual(
      order.map(([stage]) => stage),
    );
  });

  it('then, inside npm run deploy, publishes, smoke-tests that version and only then moves the alias', () => {
    const sequence = Object.values(DEPLOY_STEPS);

    expect(sequence.indexOf(DEPLOY_STEPS.publish)).toBeLessThan(sequence.indexOf(DEPLOY_STEPS.smoke));
    expect(sequence.indexOf(DEPLOY_STEPS.smoke)).toBeLessThan(sequence.indexOf(DEPLOY_STEPS.alias));
    expect(sequence.at(-1)).toBe(DEPLOY_STEPS.alias);
  });

  it('gates, describes and deploys the one digest ECR holds for the tag', () => {
    const run = (stage: keyof typeof stages) => steps[stages[stage]]?.run ?? '';

    expect(run('digest')).toContain('"$PUSHED_DIGEST" != "$digest"');
    expect(run('scanGate')).toMatch(/--image-id "imageDigest=\$DIGEST"[\s\S]*--digest "\$DIGEST"/);
    expect(run('scanGate')).toContain('--threshold "$SCAN_THRESHOLD"');
    expect(run('scanGate')).toContain('--exceptions .github/scan-exceptions.json');
    expect(run('deploy')).toContain('--source-tag "$IMAGE_TAG"');
    expect(run('deploy')).toContain('--commit "$COMMIT"');
  });

  it('takes the scan threshold from the input, else the variable, else HIGH, and needs the SBOM bucket', () => {
    const job = workflow('deploy-function.yml').jobs.deploy;

    expect(job?.env?.SCAN_THRESHOLD).toBe(
      expression("inputs.scan_severity_threshold || vars.SCAN_SEVERITY_THRESHOLD || 'HIGH'"),
    );
    expect(job?.env?.SBOM_BUCKET).toBe(expression('vars.SBOM_BUCKET'));
    expect(steps[0]?.run).toContain('Set the variable SBOM_BUCKET');
  });
});

describe('dependabot.yml', () => {
  const config = parse(readFileSync(join(REPO_ROOT, '.github', 'dependabot.yml'), 'utf8')) as {
    version: number;
    updates: { 'package-ecosystem': string; directory?: string; directories?: string[] }[];
  };
  const directoriesOf = (ecosystem: string) =>
    config.updates
      .filter((update) => update['package-ecosystem'] === ecosystem)
      .flatMap((update) => update.directories ?? (update.directory ? [update.directory] : []));

  it('keeps npm, the pinned actions and every Terraform configuration current', () => {
    expect(config.version).toBe(2);
    expect(directoriesOf('npm')).toEqual(['/']);
    expect(directoriesOf('github-actions')).toEqual(['/']);
    expect(directoriesOf('terraform').sort()).toEqual([
      '/infraestructura',
      '/infraestructura/examples/multi-system',
      '/infraestructura/modules/pipeline',
    ]);
  });

  it('names only directories that exist', () => {
    for (const update of config.updates)
      for (const dir of update.directories ?? [update.directory ?? ''])
        expect(existsSync(join(REPO_ROOT, dir)), dir).toBe(true);
  });
});

describe('AWS sign-in', () => {
  /** Every job step that calls the sign-in script, as "file job". */
  const callers = workflows.flatMap((entry) =>
    Object.entries(entry.workflow.jobs).flatMap(([name, job]) =>
      (job.steps ?? []).filter(callsSignInScript).map(() => `${entry.file} ${name}`),
    ),
  );

  it.each(workflows.map((entry) => [entry.file, entry.workflow] as const))(
    '%s signs in to AWS only through the script, never inline',
    (_file, parsed) => {
      expect(findInlineSignIn(parsed)).toEqual([]);
    },
  );

  it('is called once by each job that needs AWS: the deploy and the integration check', () => {
    expect(callers).toEqual(['deploy-function.yml deploy', 'integration.yml integration']);
  });

  it.each([
    ['deploy-function.yml', 'deploy'],
    ['integration.yml', 'integration'],
  ])(
    '%s runs the script after the checkout, with the role from variables and the fallback keys from secrets',
    (file, jobName) => {
      const steps = workflow(file).jobs[jobName]?.steps ?? [];
      const signIn = steps.findIndex(callsSignInScript);
      const checkout = steps.findIndex((step) => step.uses?.startsWith('actions/checkout@'));

      expect(steps[signIn]?.run?.trim()).toBe(SIGN_IN_SCRIPT);
      expect(checkout).toBeGreaterThanOrEqual(0);
      expect(checkout).toBeLessThan(signIn);
      expect(steps[signIn]?.env).toEqual({
        ROLE_ARN: expression('vars.AWS_ROLE_ARN'),
        FALLBACK_ACCESS_KEY_ID: expression('secrets.AWS_ACCESS_KEY_ID'),
        FALLBACK_SECRET_ACCESS_KEY: expression('secrets.AWS_SECRET_ACCESS_KEY'),
      });
      // The steps after it read the credentials from the environment; none runs before it.
      const awsBefore = steps
        .slice(0, signIn)
        .filter((step) => /\baws |npm run (deploy|smoke)/.test(step.run ?? ''));
      expect(awsBefore).toEqual([]);
    },
  );

  it('is a script in the repository that the runner can execute by its path', () => {
    const script = join(REPO_ROOT, SIGN_IN_SCRIPT);

    expect(statSync(script).mode & 0o111).not.toBe(0);
    expect(readFileSync(script, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env bash');
  });
});

describe('ci.yml', () => {
  const ci = workflow('ci.yml');

  it('runs on push and pull request', () => {
    expect(triggersOf(ci).sort()).toEqual(['pull_request', 'push']);
  });

  describe('test job', () => {
    const test = ci.jobs.test;
    const steps = test?.steps ?? [];
    const indexOfRun = (run: string) => steps.findIndex((step) => step.run?.startsWith(run));

    it('is a matrix over both databases, one leg not cancelling the other', () => {
      expect(test?.strategy).toEqual({
        'fail-fast': false,
        matrix: { database: ['pglite', 'postgresql'] },
      });
      expect(test?.env?.TEST_DATABASE).toBe(expression('matrix.database'));
    });

    it('gives only the PostgreSQL leg a postgres:15 service and DATABASE_URL', () => {
      expect(test?.services?.postgres).toMatchObject({
        image: expression("matrix.database == 'postgresql' && 'postgres:15' || ''"),
      });
      expect(test?.env).not.toHaveProperty('DATABASE_URL');
      const setUrl = steps.filter((step) => step.run?.includes('DATABASE_URL'));
      expect(setUrl).toEqual([
        expect.objectContaining({
          if: "matrix.database == 'postgresql'",
          run: expect.stringContaining(
            'echo "DATABASE_URL=postgres://postgres:postgres@localhost:5432/test" >> "$GITHUB_ENV"',
          ),
        }),
      ]);
      expect(steps.indexOf(setUrl[0] ?? {})).toBeLessThan(indexOfRun('npm test'));
    });

    it('runs npm test, then the local smoke and end-to-end suites, on each leg', () => {
      expect(indexOfRun('npm test')).toBeGreaterThan(indexOfRun('npm ci'));
      expect(indexOfRun('npm run smoke -- --local --e2e')).toBeGreaterThan(indexOfRun('npm test'));
      const legSpecific = steps.filter((step) => step.if !== undefined).map((step) => step.run);
      expect(legSpecific.join('\n')).not.toMatch(/npm (test|run smoke)/);
    });
  });

  it('audits the production dependencies, lints (code and the OpenAPI document), typechecks and builds with the npm cache', () => {
    const steps = ci.jobs.checks?.steps ?? [];
    expect(steps.map((step) => step.run).filter(Boolean)).toEqual([
      'npm ci --no-audit --no-fund',
      'npx tsx scripts/supplychain/auditProduction.ts',
      'npm run lint',
      'npm run lint:openapi',
      'npm run typecheck',
      'npm run build',
    ]);
    expect(steps.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with).toMatchObject({
      cache: 'npm',
    });
  });

  it('builds both images without pushing', () => {
    const images = ci.jobs.images;
    const runs = (images?.steps ?? []).map((step) => step.run ?? '').join('\n');
    expect(images?.strategy).toMatchObject({ matrix: { function: ['api', 'suscriptor'] } });
    expect((images?.strategy as { matrix: { function: string[] } } | undefined)?.matrix.function).toEqual([
      'api',
      'suscriptor',
    ]);
    expect(runs).toContain('docker build');
    expect(runs).not.toContain('docker push');
  });

  it('builds both images on the base pinned by digest, and checks each carries its SBOM', () => {
    const runs = (ci.jobs.images?.steps ?? []).map((step) => step.run ?? '');
    const pin = runs.findIndex((run) =>
      run.includes('.github/scripts/resolve-base-image.sh "app-$FUNCTION/Dockerfile"'),
    );
    const build = runs.findIndex((run) => run.includes('--build-arg "BASE_IMAGE=$BASE_IMAGE"'));
    const sbom = runs.findIndex(
      (run) => run.includes('/var/task/sbom.cdx.json') && run.includes('"CycloneDX"'),
    );

    expect(pin).toBeGreaterThanOrEqual(0);
    expect(build).toBeGreaterThan(pin);
    expect(sbom).toBeGreaterThan(build);
  });

  it('calls the Terraform checks and lints the workflows', () => {
    expect(ci.jobs.terraform?.uses).toBe('./.github/workflows/terraform-checks.yml');
    expect((ci.jobs['workflow-lint']?.steps ?? []).map((step) => step.run)).toContain(
      'npx vitest run tests/workflows',
    );
  });
});

describe('integration.yml', () => {
  const integration = workflow('integration.yml');

  it('runs by hand and after each deploy workflow, by their exact names', () => {
    const on = integration.on as { workflow_run: { workflows: string[]; types: string[] } };
    expect(triggersOf(integration).sort()).toEqual(['workflow_dispatch', 'workflow_run']);
    expect(on.workflow_run.workflows).toEqual([
      workflow('deploy-api.yml').name,
      workflow('deploy-suscriptor.yml').name,
    ]);
    expect(on.workflow_run.types).toEqual(['completed']);
  });

  it('proceeds after a deploy only when it succeeded', () => {
    expect(integration.jobs.resolve?.if).toContain("github.event.workflow_run.conclusion == 'success'");
  });

  it('reads the environment from the deploy run-name it is written in', () => {
    const resolve = integration.jobs.resolve?.steps?.[0]?.run ?? '';
    const pattern = /\^Deploy\\ \[a-z\]\+\\ to\\ /;
    expect(resolve).toMatch(pattern);
    expect(String((workflow('deploy-api.yml') as { 'run-name'?: string })['run-name'])).toMatch(
      /^Deploy api to \$\{\{ inputs\.environment \}\} \(/,
    );
  });

  it('smoke-tests both live aliases, then the Function URL end to end', () => {
    const job = integration.jobs.integration;
    const runs = (job?.steps ?? []).map((step) => step.run ?? '');
    expect(job && jobRunsOidc(job, resolveLocal)).toBe(true);
    expect(runs.join('\n')).toMatch(
      /--function "\$API_FUNCTION_NAME:live"[\s\S]*--function "\$SUSCRIPTOR_FUNCTION_NAME:live"[\s\S]*--url "\$API_FUNCTION_URL"[\s\S]*--e2e/,
    );
  });
});

describe('pinned actions', () => {
  it('are the checkout and setup-node commits, each with its version comment', () => {
    const pins = new Set(
      workflows.flatMap((entry) =>
        [...entry.text.matchAll(/uses: (\S+@[0-9a-f]{40}) # (v\S+)/g)].map(
          (match) => `${match[1]} ${match[2]}`,
        ),
      ),
    );
    const used = new Set(ownFiles.flatMap((file) => usesOf(workflow(file)).map((entry) => entry.uses)));

    for (const uses of used) {
      if (!uses.startsWith('./')) expect([...pins].some((pin) => pin.startsWith(uses))).toBe(true);
    }
  });
});
