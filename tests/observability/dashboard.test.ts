import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { describeWith } from '#tests/support/requirement.ts';
import {
  type Dashboard,
  loadDashboard,
  loadDashboards,
  panelNamed,
  panelQueries,
  parseDashboard,
} from './support/dashboard.ts';
import { isKnownSeries, loadCatalog, seriesNames } from './support/metricsCatalog.ts';
import { DASHBOARD_PATH, FLEET_DASHBOARD_PATH, GRAFANA_DIR, RULE_TESTS_DIR } from './support/paths.ts';
import { labelDroppedBy, metricNames, selectorsWithout, withoutGrafanaVariables } from './support/promql.ts';
import { promtool, runPromtool } from './support/promtool.ts';
import { loadRules, recordingRules, ruleFiles } from './support/rules.ts';

const catalog = loadCatalog();
const recorded = new Set(recordingRules(loadRules()).map((rule) => rule.record ?? ''));
const SYSTEM = 'service=~"$service"';

const unknownSeries = (dashboard: Dashboard) =>
  panelQueries(dashboard).flatMap(({ panel, expr }) =>
    metricNames(withoutGrafanaVariables(expr))
      .filter((name) => !isKnownSeries(catalog, name, recorded))
      .map((name) => `${panel}: ${name}`),
  );

const dir = mkdtempSync(join(tmpdir(), 'ingesta-dashboard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(loadDashboards().map((dashboard) => [dashboard.uid, dashboard] as const))(
  'the Grafana dashboard %s',
  (uid, dashboard) => {
    it('queries only contract metrics, recorded series or Prometheus and process defaults', () => {
      expect(unknownSeries(dashboard)).toEqual([]);
    });

    describeWith(promtool, 'checked by promtool', () => {
      it('holds only PromQL that promtool parses', () => {
        const file = join(dir, `${uid}-queries.yml`);
        const rules = panelQueries(dashboard).map((query, index) => ({
          record: `dashboard:query:${index}`,
          expr: withoutGrafanaVariables(query.expr),
        }));
        writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));

        const run = runPromtool(['check', 'rules', file]);

        expect(run.output).toMatch(/SUCCESS/);
        expect(run.code).toBe(0);
      });
    });
  },
);

describe('the per-system dashboard', () => {
  const dashboard = loadDashboard();
  const queries = panelQueries(dashboard);
  const used = new Set(queries.flatMap(({ expr }) => metricNames(withoutGrafanaVariables(expr))));

  it('is a dashboard with queries', () => {
    expect(dashboard.uid).toBe('ingesta');
    expect(queries.length).toBeGreaterThan(10);
  });

  it('lets the reader pick one system, several or all', () => {
    const variable = dashboard.templating.list.find((candidate) => candidate.name === 'service');

    expect(variable).toMatchObject({ type: 'query', multi: true, includeAll: true });
    expect(variable?.definition).toMatch(/^label_values\(\w+, service\)$/);
  });

  it('selects the chosen systems in every query and keeps them apart', () => {
    const ignoring = queries.flatMap(({ panel, expr }) =>
      [...selectorsWithout(expr, SYSTEM), ...labelDroppedBy(expr)].map((found) => `${panel}: ${found}`),
    );

    expect(ignoring).toEqual([]);
  });

  it('shows every metric of the contract', () => {
    const shown = (names: string[]) => names.some((name) => used.has(name));

    expect(catalog.metrics.filter((metric) => !shown(seriesNames(metric))).map((m) => m.prometheus)).toEqual(
      [],
    );
  });

  it('shows the error budget left and the burn rate of every SLO', () => {
    for (const slo of ['api_availability', 'api_latency', 'freshness']) {
      expect(used).toContain(`slo:${slo}:error_budget_remaining`);
      expect(used).toContain(`slo:${slo}:error_ratio_rate1h`);
      expect(used).toContain(`slo:${slo}:error_ratio_rate5m`);
    }
  });

  it('checks fail on a panel querying a metric outside the contract', () => {
    const broken = readFileSync(DASHBOARD_PATH, 'utf8').replace(
      'ingesta_subscriber_records_total',
      'ingesta_subscriber_rows_total',
    );

    expect(unknownSeries(parseDashboard(broken))).toEqual([
      'Records by outcome: ingesta_subscriber_rows_total',
    ]);
  });

  it('checks fail on a query that ignores the System variable or sums systems together', () => {
    const broken = parseDashboard(
      readFileSync(DASHBOARD_PATH, 'utf8').replace(
        'sum by (service, outcome) (rate(ingesta_subscriber_records_total{service=~\\"$service\\"}',
        'sum by (outcome) (rate(ingesta_subscriber_records_total{',
      ),
    );
    const records = panelQueries(broken).find((query) => query.panel === 'Records by outcome')?.expr ?? '';

    expect(selectorsWithout(records, SYSTEM)).toHaveLength(1);
    expect(labelDroppedBy(records)).toEqual(['sum by (outcome) (']);
  });
});

describe('the fleet dashboard', () => {
  const fleet = loadDashboard(FLEET_DASHBOARD_PATH);
  const table = panelNamed(fleet, 'Every system, worst first');
  const attention = panelNamed(fleet, 'Needs attention');
  const exprs = (panel: typeof table) => (panel.targets ?? []).map((target) => target.expr);

  it('is provisioned beside the per-system dashboard, with its own uid', () => {
    const provider = parse(
      readFileSync(join(GRAFANA_DIR, 'provisioning', 'dashboards', 'ingesta.yml'), 'utf8'),
    );

    expect(JSON.stringify(provider)).toContain(['$', '{INGESTA_DASHBOARDS}'].join(''));
    expect(
      readdirSync(GRAFANA_DIR)
        .filter((name) => name.endsWith('.json'))
        .sort(),
    ).toEqual(['fleet.json', 'ingesta.json']);
    expect(fleet.uid).toBe('ingesta-fleet');
  });

  it('has one row per system with the three SLIs, the budget left and the fastest burn, worst first', () => {
    const read = new Set(exprs(table).flatMap((expr) => metricNames(expr)));

    expect([...read].sort()).toEqual([
      'service:slo_burn_rate1h:max',
      'service:slo_error_budget_remaining:min',
      'slo:api_availability:error_ratio_rate28d',
      'slo:api_latency:error_ratio_rate28d',
      'slo:freshness:error_ratio_rate28d',
    ]);
    expect(exprs(table).flatMap((expr) => labelDroppedBy(expr))).toEqual([]);
    expect(table.transformations?.[0]).toEqual({
      id: 'joinByField',
      options: { byField: 'service', mode: 'outer' },
    });
    const sort = table.transformations?.find((step) => step.id === 'sortBy')?.options;
    const organize = table.transformations?.find((step) => step.id === 'organize')?.options;
    const renamed = z.record(z.string(), z.string()).parse(organize?.renameByName);
    expect(sort?.sort).toEqual([{ field: renamed['Value #A'], desc: true }]);
    expect(exprs(table)[0]).toBe('service:slo_burn_rate1h:max');
  });

  it('lists under "needs attention" only what burns faster than its budget or has spent it', () => {
    const condition = '(service:slo_burn_rate1h:max > 1 or service:slo_error_budget_remaining:min <= 0)';

    expect(exprs(attention).length).toBeGreaterThan(0);
    for (const expr of exprs(attention)) expect(expr.endsWith(` and on (service) ${condition}`)).toBe(true);
  });

  describeWith(promtool, 'run by promtool', () => {
    it.each([
      ['only the system whose API fails pages, and it alone needs attention', 'billing'],
      ['only the system with slow reads pages on latency', 'crm'],
      ['only the system with late events pages on freshness', 'shop'],
    ])('shows, among three systems where %s, only %s under "needs attention" (promtool)', (name, burning) => {
      const fleetTests = z
        .object({
          tests: z.array(
            z.object({ name: z.string(), interval: z.string(), input_series: z.array(z.unknown()) }),
          ),
        })
        .parse(parse(readFileSync(join(RULE_TESTS_DIR, 'fleet.test.yml'), 'utf8')));
      const scenario = fleetTests.tests.find((test) => test.name === name);
      const file = join(dir, `attention-${burning}.test.yml`);
      // fleet.yml last: it reads the SLI ratios of the same evaluation.
      const rules = ruleFiles().sort(
        (a, b) => Number(a.endsWith('fleet.yml')) - Number(b.endsWith('fleet.yml')),
      );
      writeFileSync(
        file,
        stringify({
          rule_files: rules,
          evaluation_interval: '1m',
          tests: [
            {
              interval: scenario?.interval,
              input_series: scenario?.input_series,
              promql_expr_test: exprs(attention).map((expr) => ({
                expr: `count by (service) (${expr})`,
                eval_time: '70m',
                exp_samples: [{ labels: `{service="${burning}"}`, value: 1 }],
              })),
            },
          ],
        }),
      );

      const run = runPromtool(['test', 'rules', file]);

      expect(run.output).toMatch(/SUCCESS/);
    });
  });
});
