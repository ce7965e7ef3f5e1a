import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hclFiles, INFRA_DIR } from './support/fixtures.ts';
import { checkLayout } from './support/fmtLayout.ts';

describe('terraform fmt layout (approximation; CI runs terraform fmt -check)', () => {
  const files = hclFiles().filter((file) => /\.(tf|tfvars)$/.test(file));

  it.each(files.map((file) => [relative(INFRA_DIR, file), file]))(
    '%s is indented and aligned',
    (_name, file) => {
      expect(checkLayout(readFileSync(file, 'utf8'))).toEqual([]);
    },
  );

  it('flags misaligned assignments, a padded multi-line assignment and a wrong indent', () => {
    const text =
      'resource "a" "b" {\n  name = "x"\n  longer_name = "y"\n  policy  = jsonencode({\n   a = 1\n  })\n}\n';

    expect(checkLayout(text).map((problem) => problem.line)).toEqual([2, 4, 5]);
  });
});
