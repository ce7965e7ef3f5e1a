import { describe, expect, it } from 'vitest';
import { CONFIG_DIRS, INFRA_DIR } from './support/fixtures.ts';
import { blocksOfKind, loadModule, moduleFromSnippets } from './support/hcl.ts';
import { unusedVariables } from './support/references.ts';

const CASES = CONFIG_DIRS.map((dir) => [dir.slice(INFRA_DIR.length) || '/', dir] as const);

describe.each(CASES)('variables and outputs of %s', (_name, dir) => {
  it('uses every declared variable', async () => {
    const module = await loadModule(dir, INFRA_DIR);

    expect(await unusedVariables(module)).toEqual([]);
  });

  it('gives every variable a description and a type', async () => {
    const module = await loadModule(dir, INFRA_DIR);

    const incomplete = blocksOfKind(module, 'variable')
      .filter((variable) => typeof variable.body.description !== 'string' || variable.body.type === undefined)
      .map((variable) => variable.name);

    expect(incomplete).toEqual([]);
  });

  it('gives every output a description', async () => {
    const module = await loadModule(dir, INFRA_DIR);

    const undocumented = blocksOfKind(module, 'output')
      .filter((output) => typeof output.body.description !== 'string' || output.body.description === '')
      .map((output) => output.name);

    expect(undocumented).toEqual([]);
  });
});

describe('variable checks', () => {
  it('flag an unused variable, a missing type and a missing description', async () => {
    const module = await moduleFromSnippets({
      'variables.tf': `
        variable "unused" {
          type        = string
          description = "Never read"
          validation {
            condition     = length(var.unused) > 0
            error_message = "Reading itself in a validation does not count as use."
          }
        }
        variable "bare" {}`,
    });

    const unused = await unusedVariables(module);
    const incomplete = blocksOfKind(module, 'variable').filter(
      (v) => v.body.type === undefined || !v.body.description,
    );

    expect(unused.sort()).toEqual(['bare', 'unused']);
    expect(incomplete.map((variable) => variable.name)).toEqual(['bare']);
  });
});
