import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BAD_SNIPPETS } from './policies/badSnippets.ts';
import { POLICIES } from './policies/index.ts';
import { CONFIG_DIRS, hclFiles, INFRA_DIR, loadPipeline, loadTfvars } from './support/fixtures.ts';
import { loadModule, moduleFromSnippets, type TfModule } from './support/hcl.ts';

const ENVIRONMENTS = ['dev', 'prod'] as const;

describe.each(POLICIES.map((policy) => [policy.id, policy] as const))('policy %s', (id, policy) => {
  let pipeline: TfModule;

  beforeAll(async () => {
    pipeline = await loadPipeline();
  });

  it('holds for the pipeline module with its defaults', async () => {
    expect(await policy.check(pipeline)).toEqual([]);
  });

  it.each(ENVIRONMENTS)('holds with the %s tfvars', async (environment) => {
    const variables = await loadTfvars(join(INFRA_DIR, 'environments', `${environment}.tfvars`));

    expect(await policy.check(pipeline, { variables })).toEqual([]);
  });

  it('flags a snippet that breaks it', async () => {
    const bad = BAD_SNIPPETS[id];
    if (bad === undefined) throw new Error(`no bad snippet for ${id}`);
    const module = await moduleFromSnippets({ 'bad.tf': bad.snippet });

    const violations = await policy.check(module);

    expect(violations.length).toBeGreaterThan(0);
    expect(violations.every((found) => found.policy === id)).toBe(true);
    expect(violations.map((found) => found.message).join('\n')).toMatch(bad.expect);
  });
});

describe('policy coverage', () => {
  it('has exactly one bad snippet per policy', () => {
    expect(Object.keys(BAD_SNIPPETS).sort()).toEqual(POLICIES.map((policy) => policy.id).sort());
  });

  it.each(CONFIG_DIRS.map((dir) => [dir.slice(INFRA_DIR.length) || '/', dir]))(
    '%s pins Terraform and the AWS provider',
    async (_name, dir) => {
      const providerPinned = POLICIES.find((policy) => policy.id === 'provider-pinned');
      const module = await loadModule(dir, INFRA_DIR);

      expect(await providerPinned?.check(module)).toEqual([]);
    },
  );

  it('finds no literal secret in any .tf, tfvars or backend file', async () => {
    const noSecrets = POLICIES.find((policy) => policy.id === 'no-literal-secrets');
    const files = Object.fromEntries(
      hclFiles().map((file) => [relative(INFRA_DIR, file), readFileSync(file, 'utf8')]),
    );
    const everything = await moduleFromSnippets(files, INFRA_DIR);

    expect(everything.files.length).toBeGreaterThan(20);
    expect(await noSecrets?.check(everything)).toEqual([]);
  });
});
