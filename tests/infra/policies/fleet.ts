import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { REPO_ROOT } from '../support/fixtures.ts';
import { type HclValue, resources, type TfBlock, type TfModule } from '../support/hcl.ts';
import { violation } from './helpers.ts';
import type { Policy, Violation } from './types.ts';

/** The SLO signals a fleet view must cover: availability, latency, freshness. */
const SLO_METRICS = ['ApiRequests', 'ApiLatency', 'EventAge'] as const;

const catalogSchema = z.object({
  namespace: z.string(),
  metrics: z.array(z.object({ emf: z.array(z.object({ name: z.string() })) })),
});

function contractMetrics(): ReadonlySet<string> {
  const catalog = catalogSchema.parse(
    JSON.parse(readFileSync(join(REPO_ROOT, 'observability', 'metrics.json'), 'utf8')),
  );
  return new Set(catalog.metrics.flatMap((metric) => metric.emf.map((emf) => emf.name)));
}

/** A value's text with the locals it reads, transitively: what Terraform would render into the body. */
function renderedText(module: TfModule, value: HclValue | undefined): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  const queue: (HclValue | undefined)[] = [value];
  while (queue.length > 0) {
    const text = JSON.stringify(queue.shift() ?? null);
    parts.push(text);
    for (const match of text.matchAll(/local\.([A-Za-z0-9_]+)/g)) {
      const name = match[1] ?? '';
      if (seen.has(name)) continue;
      seen.add(name);
      queue.push(module.locals.get(name)?.value);
    }
  }
  return parts.join('\n');
}

/** Metric names of every SEARCH over the Ingesta namespace that keeps the service dimension. */
function searchedByService(text: string): string[] {
  const found = text.matchAll(/SEARCH\('\{Ingesta,service[^}]*\}[^']*?MetricName=\\*"([A-Za-z]+)\\*"/g);
  return [...found].map((match) => match[1] ?? '');
}

/** What makes a dashboard per system or a list of systems: adding one would need another apply. */
const LISTS_SYSTEMS = /var\.systems|module\.system\b|each\./;

const fleetDashboardSearch: Policy = {
  id: 'fleet-dashboard-search',
  title: 'One fleet dashboard finds every system by SEARCH over Ingesta by service, listing none',
  async check(module: TfModule) {
    const out: Violation[] = [];
    const emitted = contractMetrics();
    const fleets: { block: TfBlock; searched: string[] }[] = resources(module, 'aws_cloudwatch_dashboard')
      .map((block) => ({
        block,
        searched: searchedByService(renderedText(module, block.body.dashboard_body)),
      }))
      .filter((fleet) => fleet.searched.length > 0);
    if (fleets.length === 0) {
      out.push(
        violation(this.id, 'aws_cloudwatch_dashboard', "needs a dashboard that SEARCHes '{Ingesta,service}'"),
      );
    }
    for (const { block, searched } of fleets) {
      for (const metric of SLO_METRICS.filter((name) => !searched.includes(name))) {
        out.push(violation(this.id, block, `needs a SEARCH over Ingesta by service for ${metric}`));
      }
      for (const metric of searched.filter((name) => !emitted.has(name))) {
        out.push(violation(this.id, block, `SEARCHes ${metric}, which the code does not emit`));
      }
      const meta = JSON.stringify([block.body.for_each ?? null, block.body.count ?? null]);
      if (LISTS_SYSTEMS.test(meta) || LISTS_SYSTEMS.test(renderedText(module, block.body.dashboard_body))) {
        out.push(
          violation(this.id, block, 'lists systems: one dashboard must cover them all without a new apply'),
        );
      }
    }
    return out;
  },
};

export { fleetDashboardSearch };
