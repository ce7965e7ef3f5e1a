import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadDashboards, panelQueries } from './support/dashboard.ts';
import { isKnownSeries, loadCatalog } from './support/metricsCatalog.ts';
import { PROMETHEUS_DIR, RULES_DIR } from './support/paths.ts';
import { labelDroppedBy, metricNames, withoutGrafanaVariables } from './support/promql.ts';
import { alertRules, loadRules, loadRuleTests, recordingRules } from './support/rules.ts';

const rules = loadRules();
const alerts = alertRules(rules);
const recorded = new Set(recordingRules(rules).map((rule) => rule.record ?? ''));
const catalog = loadCatalog();

describe('alert rules', () => {
  it('exist for each SLO, the DLQ and subscriber batch errors', () => {
    const names = new Set(alerts.map((alert) => alert.alert));

    expect([...names]).toEqual(
      expect.arrayContaining([
        'ApiAvailabilityBudgetBurn',
        'ApiLatencyBudgetBurn',
        'FreshnessBudgetBurn',
        'DeadLettersPresent',
        'SubscriberBatchErrors',
      ]),
    );
  });

  it.each(alerts.map((alert) => [`${alert.alert} (${alert.labels?.severity})`, alert]))(
    '%s has a severity, a summary, a description and a runbook in the repository',
    (_name, alert) => {
      expect(alert.labels?.severity).toMatch(/^(page|ticket)$/);
      expect(alert.annotations?.summary).toMatch(/\S/);
      expect(alert.annotations?.description).toMatch(/\S/);
      expect(alert.annotations?.runbook_url).toMatch(/^observability\/runbooks\/[a-z0-9-]+\.md$/);
    },
  );

  it.each(alerts.map((alert) => [`${alert.alert} (${alert.labels?.severity})`, alert]))(
    '%s names its system first in the summary',
    (_name, alert) => {
      expect(alert.annotations?.summary).toMatch(/^\{\{ \$labels\.service \}\}: \S/);
    },
  );

  it('page on a fast burn and open a ticket on a slow one, for every SLO', () => {
    const slos = [...new Set(alerts.map((alert) => alert.labels?.slo).filter((slo) => slo !== undefined))];

    expect(slos).toHaveLength(3);
    for (const slo of slos) {
      const sloAlerts = alerts.filter((alert) => alert.labels?.slo === slo);
      expect(sloAlerts.map((alert) => alert.labels?.severity).sort()).toEqual(['page', 'ticket']);
      const page = sloAlerts.find((alert) => alert.labels?.severity === 'page')?.expr ?? '';
      expect(page).toMatch(/rate1h > \(14\.4 \* [\d.]+\)\s+and\s+\S+rate5m > \(14\.4 \*/);
      expect(page).toMatch(/rate6h > \(6 \* [\d.]+\)\s+and\s+\S+rate30m > \(6 \*/);
      const ticket = sloAlerts.find((alert) => alert.labels?.severity === 'ticket')?.expr ?? '';
      expect(ticket).toMatch(/rate3d > [\d.]+\s+and\s+\S+rate6h > [\d.]+/);
    }
  });
});

describe('every rule expression', () => {
  it.each(rules.map((rule) => [rule.alert ?? rule.record, rule]))(
    '%s reads only contract metrics or recorded series',
    (_name, rule) => {
      const unknown = metricNames(rule.expr).filter((name) => !isKnownSeries(catalog, name, recorded));

      expect(unknown).toEqual([]);
    },
  );

  it.each(rules.map((rule) => [rule.alert ?? rule.record, rule]))(
    '%s keeps systems apart: every aggregation and match is by service',
    (_name, rule) => {
      expect(labelDroppedBy(rule.expr)).toEqual([]);
    },
  );

  it('uses every recorded series somewhere, in a rule or a dashboard', () => {
    const dashboards = loadDashboards()
      .flatMap(panelQueries)
      .map((query) => withoutGrafanaVariables(query.expr));
    const read = new Set([...rules.map((rule) => rule.expr), ...dashboards].flatMap(metricNames));
    const unread = [...recorded].filter((name) => !read.has(name));

    expect(unread).toEqual([]);
  });
});

describe('the fleet rules', () => {
  const budgetOf = (file: string) =>
    Number(
      /error_ratio_rate28d \/ ([\d.]+)/.exec(
        rules.find((rule) => rule.file === file && rule.record?.endsWith(':error_budget_remaining'))?.expr ??
          '',
      )?.[1],
    );
  const sloOf = (file: string) => alerts.find((alert) => alert.file === file)?.labels?.slo;
  const burn = rules.find((rule) => rule.record === 'slo:burn_rate1h')?.expr ?? '';

  it.each([
    ['api_availability', 'api-availability.yml'],
    ['api_latency', 'api-latency.yml'],
    ['freshness', 'freshness.yml'],
  ])('divide the %s ratio by its budget and label it with the slo its alerts carry', (slo, file) => {
    const path = join(RULES_DIR, file);
    const term = new RegExp(`slo:${slo}:error_ratio_rate1h / ([\\d.]+), "slo", "([a-z-]+)"`).exec(burn);

    expect(Number(term?.[1])).toBe(budgetOf(path));
    expect(term?.[2]).toBe(sloOf(path));
  });
});

describe('the scrape configurations', () => {
  const configSchema = z.object({
    scrape_configs: z.array(
      z.object({
        job_name: z.string(),
        static_configs: z.array(
          z.object({ targets: z.array(z.string()), labels: z.record(z.string(), z.string()).optional() }),
        ),
        metric_relabel_configs: z.array(z.object({ action: z.string(), regex: z.string() })).optional(),
      }),
    ),
  });

  it.each(['prometheus.yml', 'fleet-example.yml'])('%s names the system of every target', (file) => {
    const config = configSchema.parse(parse(readFileSync(join(PROMETHEUS_DIR, file), 'utf8')));

    for (const job of config.scrape_configs) {
      for (const target of job.static_configs)
        expect(target.labels?.service, target.targets.join()).toMatch(/\S/);
      expect(job.metric_relabel_configs).toContainEqual({ action: 'labeldrop', regex: 'exported_service' });
    }
  });
});

describe('rule unit tests', () => {
  const expectations = loadRuleTests().flatMap((file) =>
    file.tests.flatMap((test) => test.alert_rule_test ?? []),
  );

  it.each(alerts.map((alert) => [`${alert.alert} (${alert.labels?.severity})`, alert]))(
    '%s is expected to fire in some test',
    (_name, alert) => {
      const fired = expectations.some(
        (expectation) =>
          expectation.alertname === alert.alert &&
          (expectation.exp_alerts ?? []).some((exp) => exp.exp_labels?.severity === alert.labels?.severity),
      );

      expect(fired).toBe(true);
    },
  );

  it.each([...new Set(alerts.map((alert) => alert.alert))])(
    '%s fires for one system while at least two others stay silent, in one test',
    (name) => {
      const fleetTest = loadRuleTests()
        .flatMap((file) => file.tests)
        .find((test) => {
          const systems = new Set(
            (test.input_series ?? []).map((input) => /service="([^"]+)"/.exec(input.series)?.[1]),
          );
          const firing = (test.alert_rule_test ?? [])
            .filter((expectation) => expectation.alertname === name)
            .flatMap((expectation) => expectation.exp_alerts ?? [])
            .map((exp) => exp.exp_labels?.service);
          return (
            systems.size >= 3 && firing.length > 0 && new Set(firing).size === 1 && !systems.has(undefined)
          );
        });

      expect(fleetTest?.name).toBeDefined();
    },
  );

  it.each([...new Set(alerts.map((alert) => alert.alert))])(
    '%s is expected to stay silent in some test',
    (name) => {
      const silent = expectations.some(
        (expectation) => expectation.alertname === name && (expectation.exp_alerts ?? []).length === 0,
      );

      expect(silent).toBe(true);
    },
  );
});
