import { describe, expect, it } from 'vitest';
import { fleetDashboardSearch } from './policies/fleet.ts';
import { MULTI_SYSTEM_DIR, mutatedModule } from './support/fixtures.ts';
import { loadModule, moduleFromSnippets } from './support/hcl.ts';

/** An HCL interpolation, spelled without a template placeholder in a TypeScript string. */
const interpolation = (expression: string): string => ['$', '{', expression, '}'].join('');

describe('policy fleet-dashboard-search (examples/multi-system)', () => {
  it('holds for the example that stamps out many systems', async () => {
    expect(await fleetDashboardSearch.check(await loadModule(MULTI_SYSTEM_DIR))).toEqual([]);
  });

  it.each([
    [
      'a SEARCH for a metric the code does not emit',
      'MetricName=\\"EventAge\\"',
      'MetricName=\\"EventDelay\\"',
      /needs a SEARCH over Ingesta by service for EventAge[\s\S]*EventDelay, which the code does not emit/,
    ],
    [
      'one dashboard per system',
      'count = var.create_fleet_dashboard ? 1 : 0',
      'for_each = var.systems',
      /lists systems/,
    ],
    [
      'a dashboard without the service dimension',
      "SEARCH('{Ingesta,service,route,method} MetricName",
      "SEARCH('{Ingesta,route,method} MetricName",
      /needs a SEARCH over Ingesta by service for ApiLatency/,
    ],
  ])('fails on %s', async (_case, from, to, expected) => {
    const module = await mutatedModule(MULTI_SYSTEM_DIR, 'dashboard.tf', from, to);

    const violations = await fleetDashboardSearch.check(module);

    expect(violations.map((found) => found.message).join('\n')).toMatch(expected);
  });

  it('flags a dashboard that names each system', async () => {
    const module = await moduleFromSnippets({
      'bad.tf': `
resource "aws_cloudwatch_dashboard" "fleet" {
  dashboard_name = "fleet"
  dashboard_body = jsonencode({ widgets = [for name in keys(var.systems) : {
    type = "metric", properties = { metrics = [["Ingesta", "EventAge", "service", "${interpolation('name')}-suscriptor"]] }
  }] })
}`,
    });

    const violations = await fleetDashboardSearch.check(module);

    expect(violations.map((found) => found.message)).toEqual([
      "needs a dashboard that SEARCHes '{Ingesta,service}'",
    ]);
  });
});
