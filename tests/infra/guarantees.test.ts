import { describe, expect, it } from 'vitest';
import { findBreach, type Rule } from './policies/guarantees.ts';
import { evaluateNumber } from './support/expressions.ts';
import { moduleFromSnippets } from './support/hcl.ts';

/** An HCL interpolation, spelled without a template placeholder in a TypeScript string. */
const interpolation = (expression: string): string => ['$', '{', expression, '}'].join('');
const VISIBILITY = interpolation('local.visibility');
const TIMEOUT = interpolation('var.timeout');

/** At least 6 x var.timeout, the queue's visibility rule over a local as the module spells it. */
const visibility: Rule = {
  reads: [VISIBILITY, TIMEOUT],
  async breach(context) {
    const seconds = await evaluateNumber(VISIBILITY, context);
    const limit = await evaluateNumber(TIMEOUT, context);
    return seconds < 6 * limit ? `${seconds} < 6 x ${limit}` : undefined;
  },
};

async function breachOf(validation: string, precondition: string) {
  const module = await moduleFromSnippets({
    'main.tf': `
      variable "timeout" {
        type    = number
        default = 30
        validation {
          condition     = ${validation}
          error_message = "x"
        }
      }
      variable "visibility" {
        type    = number
        default = null
      }
      locals {
        visibility = coalesce(var.visibility, 6 * var.timeout)
      }
      resource "aws_sqs_queue" "this" {
        lifecycle {
          precondition {
            condition     = ${precondition}
            error_message = "x"
          }
        }
      }`,
  });
  const queue = module.blocks.filter((block) => block.type === 'aws_sqs_queue');

  return findBreach(module, visibility, queue);
}

describe('searching the inputs validations and preconditions admit', () => {
  it('finds nothing when the precondition states the rule another way round', async () => {
    expect(await breachOf('var.timeout >= 1', '6 * var.timeout <= local.visibility')).toBeUndefined();
  });

  it('finds the first input a weaker precondition lets through', async () => {
    expect(await breachOf('var.timeout >= 1', 'local.visibility >= 5 * var.timeout')).toEqual({
      description: '5 < 6 x 1',
      assignment: { timeout: 1, visibility: 5 },
    });
  });

  it('counts a validation as a guard too', async () => {
    const breach = await breachOf('var.timeout >= 1 && var.timeout <= 30', 'local.visibility >= 180');

    expect(breach).toBeUndefined();
  });

  it('treats a condition it cannot evaluate as no guard at all', async () => {
    const breach = await breachOf('var.timeout >= 1', 'alltrue([local.visibility >= 6 * var.timeout])');

    expect(breach?.description).toBe('0 < 6 x 1');
  });
});
