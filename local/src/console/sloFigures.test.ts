import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promtool, runPromtool } from '#tests/observability/support/promtool.ts';
import { describeWith } from '#tests/support/requirement.ts';
import { SeriesHistory } from './seriesHistory.ts';
import { loadSloDefinitions, RULES_DIR, type SloDefinition } from './sloRules.ts';
import { sloSnapshot } from './sloSnapshot.ts';

const STEP_MS = 60_000;
const MINUTES = 130;
const EVAL_MINUTES = [3, 10, 37, 61, 95, 130];

/** A deterministic walk, so a failure reproduces. */
const random = (() => {
  let seed = 42;
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
})();

interface InputSeries {
  selector: string;
  name: string;
  labels: Record<string, string>;
  /** One value per minute; null where the series has no sample. */
  values: (number | null)[];
}

/** A counter growing by up to `max` a minute from `start`, with gaps, and a reset at `resetAt` if given. */
const counter = (
  name: string,
  labels: Record<string, string>,
  {
    max,
    start = 0,
    from = 0,
    resetAt,
    gaps = false,
  }: { max: number; start?: number; from?: number; resetAt?: number; gaps?: boolean },
): InputSeries => {
  let value = start;
  const values = Array.from({ length: MINUTES + 1 }, (_, minute) => {
    if (minute < from) return null;
    if (minute === resetAt) value = 0;
    value += Math.floor(random() * max);
    return gaps && minute % 7 === 3 ? null : value;
  });
  const all = { service: 'ingesta', ...labels };
  const selector = `${name}{${Object.entries(all)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;
  return { selector, name, labels: all, values };
};

/** Good events as a share of all of them: the bucket `le` of a histogram follows its count. */
const histogram = (
  name: string,
  labels: Record<string, string>,
  le: string,
  goodShare: number,
  max: number,
) => {
  const count = counter(`${name}_count`, labels, { max });
  const bucket: InputSeries = {
    ...count,
    name: `${name}_bucket`,
    labels: { ...count.labels, le },
    values: count.values.map((v) => (v === null ? null : Math.floor(v * goodShare))),
  };
  bucket.selector = `${name}_bucket{${Object.entries(bucket.labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;
  return [bucket, count];
};

const SERIES: InputSeries[] = [
  counter(
    'ingesta_api_requests_total',
    { route: '/users', method: 'POST', status: '202' },
    { max: 50, start: 7, resetAt: 80 },
  ),
  counter(
    'ingesta_api_requests_total',
    { route: '/users', method: 'GET', status: '200' },
    { max: 30, gaps: true },
  ),
  counter(
    'ingesta_api_requests_total',
    { route: '/users', method: 'POST', status: '503' },
    { max: 4, from: 30 },
  ),
  counter('ingesta_api_requests_total', { route: '/health', method: 'GET', status: '503' }, { max: 100 }),
  ...histogram('ingesta_api_request_duration_seconds', { route: '/users', method: 'GET' }, '0.25', 0.97, 40),
  ...histogram(
    'ingesta_api_request_duration_seconds',
    { route: '/users/{id}', method: 'GET' },
    '0.25',
    0.999,
    20,
  ),
  ...histogram('ingesta_api_request_duration_seconds', { route: '/users', method: 'POST' }, '0.25', 0.1, 20),
  ...histogram('ingesta_event_age_seconds', {}, '60', 0.995, 60),
];

/** The samples up to `minute`, as the console's sampler would have kept them. */
const historyUntil = (minute: number): SeriesHistory => {
  const history = new SeriesHistory(10_000);
  for (let m = 0; m <= minute; m += 1) {
    history.add(
      m * STEP_MS,
      SERIES.flatMap((s) => {
        const value = s.values[m];
        return value === null || value === undefined ? [] : [{ name: s.name, labels: s.labels, value }];
      }),
    );
  }
  return history;
};

/** PromQL's round(v, 0.000001), operation for operation, so both sides round alike. */
const round = (v: number) => Math.floor(v * (1 / 0.000001) + 0.5) / (1 / 0.000001);

describeWith(promtool, 'the console SLO figures against promtool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ingesta-console-slo-'));
  let slos: SloDefinition[];
  beforeAll(async () => {
    slos = await loadSloDefinitions();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the three SLOs, their budgets and alert windows from the rule files', () => {
    expect(slos.map((s) => [s.id, s.budget])).toEqual([
      ['api_availability', 0.001],
      ['api_latency', 0.01],
      ['freshness', 0.01],
    ]);
    for (const slo of slos)
      expect(slo.conditions.map((c) => `${c.severity} ${c.factor} ${c.longWindow}/${c.shortWindow}`)).toEqual(
        ['page 14.4 1h/5m', 'page 6 6h/30m', 'ticket 1 3d/6h'],
      );
  });

  it('computes the error ratio of every SLO and window as promtool does from the same rules and series', () => {
    const tests: string[] = [];
    let compared = 0;
    let withTraffic = 0;
    for (const minute of EVAL_MINUTES) {
      const history = historyUntil(minute);
      for (const slo of slos) {
        const page = sloSnapshot(slo, history, minute * STEP_MS, 0, () => history);
        for (const { window, burnRate } of page.windows) {
          const ratio = burnRate === null ? null : round(burnRate * slo.budget);
          tests.push(
            `      - expr: round(slo:${slo.id}:error_ratio_rate${window}, 0.000001)`,
            `        eval_time: ${minute}m`,
            ratio === null
              ? '        exp_samples: []'
              : `        exp_samples:\n          - labels: '{service="ingesta"}'\n            value: ${ratio}`,
          );
          compared += 1;
          if (ratio !== null && ratio > 0) withTraffic += 1;
        }
      }
    }
    const file = join(dir, 'console-slo.test.yml');
    writeFileSync(
      file,
      [
        'rule_files:',
        ...slos.map((s) => `  - ${join(RULES_DIR, s.file)}`),
        'evaluation_interval: 1m',
        'tests:',
        '  - interval: 1m',
        '    input_series:',
        ...SERIES.flatMap((s) => [
          `      - series: '${s.selector}'`,
          `        values: "${s.values.map((v) => (v === null ? '_' : String(v))).join(' ')}"`,
        ]),
        '    promql_expr_test:',
        ...tests,
        '',
      ].join('\n'),
    );

    const run = runPromtool(['test', 'rules', file]);

    // Every alert window: 5m, 30m, 1h, 6h and 3d; all but the first minutes' availability see some errors.
    expect(withTraffic).toBeGreaterThan(compared * 0.8);
    expect(compared).toBe(EVAL_MINUTES.length * slos.length * 5);
    expect(run.output).toMatch(/SUCCESS/);
    expect(run.code).toBe(0);
  });

  it('fails the comparison when the page is off by a little', () => {
    const history = historyUntil(61);
    const slo = slos.find((s) => s.id === 'api_latency');
    if (slo === undefined) throw new Error('no api_latency SLO');
    const burn = sloSnapshot(slo, history, 61 * STEP_MS, 0, () => history).windows[0]?.burnRate ?? 0;
    const file = join(dir, 'off.test.yml');
    writeFileSync(
      file,
      [
        `rule_files: ['${join(RULES_DIR, slo.file)}']`,
        'evaluation_interval: 1m',
        'tests:',
        '  - interval: 1m',
        '    input_series:',
        ...SERIES.map(
          (s) =>
            `      - series: '${s.selector}'\n        values: "${s.values.map((v) => v ?? '_').join(' ')}"`,
        ),
        '    promql_expr_test:',
        `      - expr: round(slo:api_latency:error_ratio_rate5m, 0.000001)`,
        '        eval_time: 61m',
        `        exp_samples: [{ labels: '{service="ingesta"}', value: ${round(burn * slo.budget) + 0.00001} }]`,
        '',
      ].join('\n'),
    );

    expect(runPromtool(['test', 'rules', file]).code).not.toBe(0);
  });
});

describe('SLO figures without traffic', () => {
  it('are empty (null), not zero, before any event', async () => {
    const [slo] = await loadSloDefinitions();
    if (slo === undefined) throw new Error('no SLO');
    const empty = new SeriesHistory(10);
    const page = sloSnapshot(slo, empty, 60_000, 0, () => empty);
    expect(page.sliRun).toBeNull();
    expect(page.windows.every((w) => w.burnRate === null)).toBe(true);
    expect(page.conditions.some((c) => c.firing)).toBe(false);
  });
});
