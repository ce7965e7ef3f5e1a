import { describe, expect, it } from 'vitest';
import { moduleFromSnippets } from './support/hcl.ts';
import { describeSource, sourcesOf } from './support/sources.ts';

/** The sources of `attribute` in `resource "x" "probe"`, described as references. */
async function sourcesOfProbe(attribute: string, rest = ''): Promise<string[]> {
  const module = await moduleFromSnippets({
    'probe.tf': `${rest}\nresource "x" "probe" {\n  value = ${attribute}\n}`,
  });
  const probe = module.blocks.find((block) => block.name === 'probe');

  return (await sourcesOf(module, probe?.body.value)).map(describeSource).sort();
}

describe('where the elements of a value come from', () => {
  it('follows locals into both branches of a conditional, but not into its condition', async () => {
    const locals = 'locals {\n  ids = var.create ? aws_subnet.private[*].id : var.existing_ids\n}';

    expect(await sourcesOfProbe('local.ids', locals)).toEqual(['aws_subnet.private', 'var.existing_ids']);
  });

  it('looks through splats, indexes, list functions and for expressions', async () => {
    const value =
      'concat(aws_subnet.a[*].id, [aws_subnet.b[0].id], [for s in aws_subnet.c : s.id], slice(local.d, 0, 1))';
    const locals = 'locals {\n  d = tolist(aws_subnet.d[*].id)\n}';

    expect(await sourcesOfProbe(value, locals)).toEqual([
      'aws_subnet.a',
      'aws_subnet.b',
      'aws_subnet.c',
      'aws_subnet.d',
    ]);
  });

  it('keeps literals, data sources and what it does not follow as sources of their own', async () => {
    const value =
      '["subnet-0abc", data.aws_subnet.shared.id, module.vpc.private_subnets, lookup(var.m, "k")]';

    expect(await sourcesOfProbe(value)).toEqual([
      'data.aws_subnet.shared',
      'lookup(var.m, "k")',
      'module.vpc.private_subnets',
      'subnet-0abc',
    ]);
  });

  it('stops at a local that refers to itself', async () => {
    const locals = 'locals {\n  a = concat(local.b, aws_subnet.x[*].id)\n  b = local.a\n}';

    expect(await sourcesOfProbe('local.a', locals)).toEqual(['aws_subnet.x']);
  });
});
