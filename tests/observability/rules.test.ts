import { describe, expect, it } from 'vitest';
import { isKnownSeries, loadCatalog } from './support/metricsCatalog.ts';
import { metricNames } from './support/promql.ts';
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

  it('uses every recorded window somewhere', () => {
    const read = new Set(rules.flatMap((rule) => metricNames(rule.expr)));
    const unread = [...recorded].filter(
      (name) => !read.has(name) && !name.endsWith(':error_budget_remaining'),
    );

    expect(unread).toEqual([]);
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
    '%s is expected to stay silent in some test',
    (name) => {
      const silent = expectations.some(
        (expectation) => expectation.alertname === name && (expectation.exp_alerts ?? []).length === 0,
      );

      expect(silent).toBe(true);
    },
  );
});
