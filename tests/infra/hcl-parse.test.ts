import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hclFiles, INFRA_DIR } from './support/fixtures.ts';
import { parseHcl } from './support/hcl.ts';

describe('HCL files', () => {
  const files = hclFiles();

  it('finds the root, module, example, tfvars and backend files', () => {
    const names = files.map((file) => relative(INFRA_DIR, file));

    expect(names).toEqual(
      expect.arrayContaining([
        'main.tf',
        'versions.tf',
        'backend.hcl.example',
        'environments/dev.tfvars',
        'environments/prod.tfvars',
        'modules/pipeline/versions.tf',
        'examples/multi-system/main.tf',
      ]),
    );
  });

  it.each(files.map((file) => [relative(INFRA_DIR, file), file]))('%s parses', async (_name, file) => {
    const body = await parseHcl(file, readFileSync(file, 'utf8'));

    expect(Object.keys(body).length).toBeGreaterThan(0);
  });

  it('rejects a file with an unclosed block', async () => {
    await expect(parseHcl('broken.tf', 'resource "aws_sqs_queue" "this" {\n  name = "q"\n')).rejects.toThrow(
      /Unclosed configuration block/,
    );
  });
});
