import { blocksOf, isObject, type TfModule } from '../support/hcl.ts';
import { violation } from './helpers.ts';
import type { Policy, Violation } from './types.ts';

function parseVersion(text: string): number[] {
  return text.split('.').map((part) => Number(part));
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Lower bound and exclusive upper bound of a constraint such as ">= 6.29.0, < 7.0.0" or "~> 6.29". */
function bounds(constraint: string): { lower?: number[]; upper?: number[] } {
  const out: { lower?: number[]; upper?: number[] } = {};
  for (const part of constraint.split(',').map((piece) => piece.trim())) {
    const match = /^(>=|>|<=|<|~>|=)?\s*(\d+(?:\.\d+)*)$/.exec(part);
    if (!match?.[2]) continue;
    const version = parseVersion(match[2]);
    const operator = match[1] ?? '=';
    if (operator === '>=' || operator === '>' || operator === '=' || operator === '~>') out.lower = version;
    if (operator === '<' || operator === '<=') out.upper = version;
    if (operator === '=') out.upper = [...version.slice(0, -1), (version.at(-1) ?? 0) + 1];
    if (operator === '~>') {
      const kept = version.length > 1 ? version.slice(0, -1) : version;
      out.upper = [...kept.slice(0, -1), (kept.at(-1) ?? 0) + 1];
    }
  }
  return out;
}

const providerPinned: Policy = {
  id: 'provider-pinned',
  title: 'Terraform >= 1.6 and the AWS provider pinned to 6.x from 6.29; registry modules pinned exactly',
  async check(module: TfModule) {
    const out: Violation[] = [];
    const terraformBlocks = module.blocks.filter((block) => block.kind === 'terraform');
    const where = `terraform (${module.dir})`;
    const required = terraformBlocks
      .map((block) => block.body.required_version)
      .find((v) => typeof v === 'string');
    const terraformLower = required ? bounds(required).lower : undefined;
    if (!terraformLower || compare(terraformLower, [1, 6]) < 0) {
      out.push(violation(this.id, where, 'required_version must be at least 1.6'));
    }
    const aws = terraformBlocks
      .flatMap((block) => blocksOf(block.body.required_providers))
      .map((providers) => providers.aws)
      .find(isObject);
    const constraint = aws && typeof aws.version === 'string' ? aws.version : undefined;
    const range = constraint ? bounds(constraint) : {};
    if (aws?.source !== 'hashicorp/aws')
      out.push(violation(this.id, where, 'aws provider source must be hashicorp/aws'));
    if (!range.lower || compare(range.lower, [6, 29]) < 0) {
      out.push(violation(this.id, where, 'aws provider needs a lower bound of at least 6.29'));
    }
    if (!range.upper || compare(range.upper, [7]) > 0) {
      out.push(violation(this.id, where, 'aws provider needs an upper bound within 6.x (< 7.0)'));
    }
    for (const call of module.blocks.filter((block) => block.kind === 'module')) {
      const source = typeof call.body.source === 'string' ? call.body.source : '';
      const local = source.startsWith('./') || source.startsWith('../');
      const version = call.body.version;
      if (!local && (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version))) {
        out.push(violation(this.id, call, 'registry modules need an exact version'));
      }
    }
    return out;
  },
};

export { bounds, providerPinned };
