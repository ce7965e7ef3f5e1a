import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INFRA_DIR, PIPELINE_DIR } from './support/fixtures.ts';
import { blocksOfKind, loadModule } from './support/hcl.ts';
import { tableNames, tableRows } from './support/readmeTables.ts';

describe.each([
  ['modules/pipeline', PIPELINE_DIR],
  ['root configuration', INFRA_DIR],
])('README of %s', (_name, dir) => {
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');

  it('lists exactly the declared variables as inputs', async () => {
    const module = await loadModule(dir, INFRA_DIR);
    const declared = blocksOfKind(module, 'variable').map((variable) => variable.name);

    expect(tableNames(readme, 'Inputs').sort()).toEqual(declared.sort());
  });

  it('lists exactly the declared outputs', async () => {
    const module = await loadModule(dir, INFRA_DIR);
    const declared = blocksOfKind(module, 'output').map((output) => output.name);

    expect(tableNames(readme, 'Outputs').sort()).toEqual(declared.sort());
  });

  it('describes each input as its variable does', async () => {
    const module = await loadModule(dir, INFRA_DIR);
    const described = new Map(tableRows(readme, 'Inputs').map((row) => [row.name, row.cells[1]]));

    const stale = blocksOfKind(module, 'variable').filter(
      (variable) => described.get(variable.name) !== variable.body.description,
    );

    expect(stale.map((variable) => variable.name)).toEqual([]);
  });
});

describe('README table reader', () => {
  it('reads terraform-docs anchored names and plain names, and stops at the next heading', () => {
    const readme = [
      '<!-- BEGIN_TF_DOCS -->',
      '## Inputs',
      '',
      '| Name | Description |',
      '|------|-------------|',
      '| <a name="input_name"></a> [name](#input_name) | System name |',
      '| tags | Tags |',
      '',
      '## Outputs',
      '',
      '| Name | Description |',
      '|------|-------------|',
      '| `queue_url` | URL |',
      '<!-- END_TF_DOCS -->',
    ].join('\n');

    expect(tableNames(readme, 'Inputs')).toEqual(['name', 'tags']);
    expect(tableNames(readme, 'Outputs')).toEqual(['queue_url']);
  });

  it('refuses a README without terraform-docs markers', () => {
    expect(() => tableNames('# nothing here', 'Inputs')).toThrow(/markers/);
  });
});

describe('the NONE warning', () => {
  it.each([join(INFRA_DIR, 'README.md'), join(PIPELINE_DIR, 'README.md')])('is in %s', (path) => {
    expect(readFileSync(path, 'utf8')).toMatch(
      /api_function_url_auth_type = "NONE"[\s\S]{0,80}(internet|public)/,
    );
  });
});
