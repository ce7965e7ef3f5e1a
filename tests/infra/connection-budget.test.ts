import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auroraMaxConnections } from './policies/connections.ts';
import { evaluationContext, nested } from './policies/helpers.ts';
import { evaluateValue } from './support/expressions.ts';
import { INFRA_DIR, loadPipeline, loadTfvars } from './support/fixtures.ts';
import type { HclValue, TfBlock, TfModule } from './support/hcl.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** The precondition of `block` whose condition mentions `marker`, with its message. */
function precondition(block: TfBlock | undefined, marker: string): { condition: string; message: string } {
  const found = nested(block?.body ?? {}, 'lifecycle', 'precondition').find(
    (candidate) => typeof candidate.condition === 'string' && candidate.condition.includes(marker),
  );
  if (!found) throw new Error(`no precondition mentioning ${marker}`);
  return { condition: String(found.condition), message: String(found.error_message) };
}

describe('the database connection budget, evaluated on tfvars', () => {
  let pipeline: TfModule;
  let budget: { condition: string; message: string };
  let noPauseWithProxy: { condition: string; message: string };
  const holds = (condition: string, variables: Record<string, HclValue>) =>
    evaluateValue(condition, evaluationContext(pipeline, { variables }));

  beforeAll(async () => {
    pipeline = await loadPipeline();
    const block = (type: string, name: string) =>
      pipeline.blocks.find((candidate) => candidate.type === type && candidate.name === name);
    budget = precondition(block('aws_lambda_function', 'api'), 'db_connections_needed');
    noPauseWithProxy = precondition(block('aws_rds_cluster', 'this'), 'create_rds_proxy');
  });

  it.each(['dev', 'prod'])('admits the %s environment', async (environment) => {
    const variables = await loadTfvars(join(INFRA_DIR, 'environments', `${environment}.tfvars`));

    expect(await holds(budget.condition, variables)).toBe(true);
    expect(await holds(noPauseWithProxy.condition, variables)).toBe(true);
  });

  it('refuses 100 API instances x 2 connections against a 1 ACU cluster, and says what to change', async () => {
    const variables = await loadTfvars(join(FIXTURES, 'over-budget.tfvars'));

    expect(await holds(budget.condition, variables)).toBe(false);
    for (const remedy of ['Raise db_max_capacity', 'lower db_pool_max', 'create_rds_proxy = true'])
      expect(budget.message).toContain(remedy);
  });

  it('admits the same stack once an RDS Proxy fronts the cluster', async () => {
    const variables = await loadTfvars(join(FIXTURES, 'over-budget.tfvars'));

    expect(await holds(budget.condition, { ...variables, create_rds_proxy: true })).toBe(true);
  });

  it('refuses an RDS Proxy in front of a cluster that auto-pauses', async () => {
    const variables = await loadTfvars(join(FIXTURES, 'proxy-with-auto-pause.tfvars'));

    expect(await holds(noPauseWithProxy.condition, variables)).toBe(false);
    expect(noPauseWithProxy.message).toMatch(/db_min_capacity = 0.5 or more, or create_rds_proxy = false/);
  });
});

describe('max_connections of Aurora PostgreSQL Serverless v2 as the budget counts it', () => {
  it("matches AWS's published 189 connections for a 0.5-1 ACU range", () => {
    expect(auroraMaxConnections(0.5, 1)).toBe(189);
  });

  it('stays at or below the published 3,360 for a 1-16 ACU range', () => {
    expect(auroraMaxConnections(1, 16)).toBeLessThanOrEqual(3360);
  });

  it('caps at 2,000 when the minimum is 0 or 0.5 ACU, and at 5,000 otherwise', () => {
    expect(auroraMaxConnections(0, 64)).toBe(2000);
    expect(auroraMaxConnections(0.5, 64)).toBe(2000);
    expect(auroraMaxConnections(1, 64)).toBe(5000);
  });
});
