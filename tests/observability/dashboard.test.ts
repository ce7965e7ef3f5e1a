import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { describeWith } from '#tests/support/requirement.ts';
import { type Dashboard, loadDashboard, panelQueries, parseDashboard } from './support/dashboard.ts';
import { isKnownSeries, loadCatalog, seriesNames } from './support/metricsCatalog.ts';
import { DASHBOARD_PATH } from './support/paths.ts';
import { metricNames, withoutGrafanaVariables } from './support/promql.ts';
import { promtool, runPromtool } from './support/promtool.ts';
import { loadRules, recordingRules } from './support/rules.ts';

const catalog = loadCatalog();
const recorded = new Set(recordingRules(loadRules()).map((rule) => rule.record ?? ''));

const unknownSeries = (dashboard: Dashboard) =>
  panelQueries(dashboard).flatMap(({ panel, expr }) =>
    metricNames(withoutGrafanaVariables(expr))
      .filter((name) => !isKnownSeries(catalog, name, recorded))
      .map((name) => `${panel}: ${name}`),
  );

describe('the Grafana dashboard', () => {
  const dashboard = loadDashboard();
  const queries = panelQueries(dashboard);
  const used = new Set(queries.flatMap(({ expr }) => metricNames(withoutGrafanaVariables(expr))));
  const dir = mkdtempSync(join(tmpdir(), 'ingesta-dashboard-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a dashboard with queries', () => {
    expect(dashboard.uid).toBe('ingesta');
    expect(queries.length).toBeGreaterThan(10);
  });

  it('queries only contract metrics, recorded series or process and node defaults', () => {
    expect(unknownSeries(dashboard)).toEqual([]);
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

  describeWith(promtool, 'checked by promtool', () => {
    it('holds only PromQL that promtool parses', () => {
      const file = join(dir, 'dashboard-queries.yml');
      const rules = queries.map((query, index) => ({
        record: `dashboard:query:${index}`,
        expr: withoutGrafanaVariables(query.expr),
      }));
      writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));

      const run = runPromtool(['check', 'rules', file]);

      expect(run.output).toMatch(/SUCCESS/);
      expect(run.code).toBe(0);
    });
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
});
