import { describe, expect, it } from 'vitest';
import { CONFIG_DIRS, INFRA_DIR, loadChildren } from './support/fixtures.ts';
import { loadModule, moduleFromSnippets } from './support/hcl.ts';
import { checkReferences, crossVariableValidations } from './support/references.ts';

async function problemsOf(snippet: string, child?: string) {
  const module = await moduleFromSnippets({ 'main.tf': snippet });
  const children = child ? new Map([['child', await moduleFromSnippets({ 'child.tf': child })]]) : new Map();
  return checkReferences(module, children);
}

describe('reference integrity of the real configurations', () => {
  it.each(CONFIG_DIRS.map((dir) => [dir.slice(INFRA_DIR.length) || '/', dir]))(
    '%s: every var, local, resource, data source, module and module output resolves',
    async (_name, dir) => {
      const module = await loadModule(dir, INFRA_DIR);

      const problems = await checkReferences(module, await loadChildren(module));

      expect(problems).toEqual([]);
    },
  );

  it.each(CONFIG_DIRS.map((dir) => [dir.slice(INFRA_DIR.length) || '/', dir]))(
    '%s: validations read only their own variable (Terraform < 1.9 rule)',
    async (_name, dir) => {
      const module = await loadModule(dir, INFRA_DIR);

      expect(await crossVariableValidations(module)).toEqual([]);
    },
  );
});

describe('reference checker', () => {
  it('accepts for-expression symbols, dynamic iterators, each, count, self and path', async () => {
    const problems = await problemsOf(`
      variable "names" {
        type        = map(string)
        description = "d"
      }
      locals {
        upper = { for key, value in var.names : key => upper(value) if key != "" }
        text  = "%{ for name in values(var.names) }\${name}%{ endfor }"
      }
      resource "aws_sqs_queue" "each" {
        for_each = local.upper
        name     = "\${each.key}-\${each.value}-\${path.module}"
        dynamic "tag" {
          for_each = var.names
          iterator = item
          content {
            key = item.key
          }
        }
        dynamic "policy_rule" {
          for_each = var.names
          content {
            value = policy_rule.value
          }
        }
        lifecycle {
          ignore_changes = [tags]
          postcondition {
            condition     = self.arn != ""
            error_message = "x"
          }
        }
      }
      resource "aws_sqs_queue" "counted" {
        count = 2
        name  = "q-\${count.index}-\${aws_sqs_queue.each["a"].name}-\${local.text}"
      }
    `);

    expect(problems).toEqual([]);
  });

  it.each([
    [
      'an undeclared variable',
      'output "o" {\n value = var.missing\n description = "d"\n}',
      'undeclared variable',
    ],
    [
      'an undeclared local',
      'output "o" {\n value = local.missing\n description = "d"\n}',
      'undeclared local',
    ],
    [
      'an undeclared resource',
      'output "o" {\n value = aws_sqs_queue.nope.arn\n description = "d"\n}',
      'undeclared resource',
    ],
    [
      'an undeclared data source',
      'output "o" {\n value = data.aws_region.nope.region\n description = "d"\n}',
      'undeclared data source',
    ],
    [
      'an undeclared module',
      'output "o" {\n value = module.nope.x\n description = "d"\n}',
      'undeclared module',
    ],
    [
      'each outside for_each',
      'resource "aws_sqs_queue" "q" {\n name = each.key\n}',
      'each outside a for_each block',
    ],
    [
      'count outside count',
      'resource "aws_sqs_queue" "q" {\n name = count.index\n}',
      'count outside a count block',
    ],
    ['a for symbol used outside its for', 'locals {\n a = [for x in [] : x]\n b = x\n}', 'unknown symbol'],
    [
      'a dynamic iterator used outside its content',
      'resource "aws_sqs_queue" "q" {\n dynamic "tag" {\n for_each = []\n content {}\n }\n name = tag.key\n}',
      'undeclared resource',
    ],
    [
      'a variable hidden inside a for body',
      'locals {\n a = [for x in [1] : cidrsubnet(var.missing_cidr, 8, x)]\n}',
      'undeclared variable',
    ],
  ])('flags %s', async (_case, snippet, reason) => {
    const problems = await problemsOf(snippet);

    expect(problems.map((problem) => problem.reason)).toContain(reason);
  });

  it('flags a missing output of a local module and an unknown or missing argument', async () => {
    const problems = await problemsOf(
      'module "child" {\n source = "./child"\n unknown = 1\n}\noutput "o" {\n value = module.child.nope\n description = "d"\n}',
      'variable "needed" {\n type = string\n description = "d"\n}\noutput "yes" {\n value = var.needed\n description = "d"\n}',
    );

    expect(problems.map((problem) => problem.reason)).toEqual(
      expect.arrayContaining([
        'module child has no output nope',
        'argument is not a variable of the module',
        'required variable not set',
      ]),
    );
  });
});
