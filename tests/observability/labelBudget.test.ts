import { randomBytes, randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import { eventually, type RunningStack, startLocalStack } from '#tests/support/localStack.ts';
import { labelBudgetViolations, parseExposition } from './support/labelBudget.ts';
import { loadCatalog } from './support/metricsCatalog.ts';

const catalog = loadCatalog();
const SERVICE = 'budget-probe';

const token = (): string => randomBytes(6).toString('hex');

interface Probe {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  /** Raw values in the request that must never become a label value. */
  readonly raw: readonly string[];
}

/** Requests a careless adapter would turn into labels: ids, raw paths, query strings, odd methods, user data. */
function hostileRequests(): Probe[] {
  const probes: Probe[] = [];
  for (let i = 0; i < 8; i += 1) {
    const id = randomUUID();
    const number = String(100_000 + Math.floor(Math.random() * 900_000));
    const word = token();
    const email = `${token()}@example.com`;
    probes.push(
      { method: 'GET', path: `/users/${id}`, raw: [id] },
      { method: 'GET', path: `/users/${number}?trace=${word}`, raw: [number, word] },
      { method: 'GET', path: `/${word}/${id}`, raw: [word, id] },
      { method: 'GET', path: `/users?limit=${number}&cursor=${word}`, raw: [number, word] },
      { method: 'DELETE', path: `/users/${id}`, raw: [id] },
      { method: 'PROPFIND', path: `/users/${word}`, raw: [word] },
      { method: 'POST', path: '/users', body: JSON.stringify({ name: word, email }), raw: [word, email] },
      { method: 'POST', path: `/users?${word}`, body: `{"name": "${word}"`, raw: [word] },
    );
  }
  return probes;
}

describe('the label budget of a local runtime', () => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startLocalStack({ serviceName: SERVICE });
  });
  afterAll(() => stack?.stop());

  it('keeps every label within its bounded set under hostile traffic, and every series names its system', async () => {
    const probes = hostileRequests();
    for (const probe of probes) {
      const response = await fetch(`${stack.url}${probe.path}`, {
        method: probe.method,
        headers: { 'content-type': 'application/json' },
        ...(probe.body !== undefined && { body: probe.body }),
      });
      await response.arrayBuffer();
    }
    await eventually(
      async () => ((await stack.pipeline.queue.stats()).total === 0 ? true : undefined),
      30_000,
    );

    const text = await (await fetch(`${stack.url}/_local/metrics`)).text();

    const counted = parseExposition(text)
      .filter((series) => series.name === 'ingesta_api_requests_total')
      .reduce((sum, series) => sum + series.value, 0);
    // The Function URL schema refuses methods outside its list (400) before anything is measured.
    const measurable = probes.filter((probe) => probe.method !== 'PROPFIND');
    expect(counted).toBeGreaterThanOrEqual(measurable.length);
    expect(text).toContain('ingesta_event_age_seconds_count{service="budget-probe"}');
    expect(
      labelBudgetViolations(catalog, text, { service: SERVICE, injected: probes.flatMap((p) => p.raw) }),
    ).toEqual([]);
  });
});

describe('the label budget check', () => {
  it('flags a raw path, an id, an unknown method and a series without its system', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: SERVICE });
    const metrics = new PrometheusPipelineMetrics(registry);
    metrics.apiRequest({ route: '/users/8d1f', method: 'GET', status: 200, durationMs: 1 });
    const text = `${await registry.metrics()}\nnodejs_heap_bytes{space="8d1f-blob"} 1\nup{instance="a"} 1\n`;

    const violations = labelBudgetViolations(catalog, text, { service: SERVICE, injected: ['8d1f-blob'] });

    expect(violations).toEqual([
      'ingesta_api_request_duration_seconds_bucket: route="/users/8d1f" (outside the bounded set)',
      'ingesta_api_request_duration_seconds_count: route="/users/8d1f" (outside the bounded set)',
      'ingesta_api_request_duration_seconds_sum: route="/users/8d1f" (outside the bounded set)',
      'ingesta_api_requests_total: route="/users/8d1f" (outside the bounded set)',
      'nodejs_heap_bytes: service="" (not the system\'s name)',
      'nodejs_heap_bytes: space="8d1f-blob" (a raw value the client sent)',
      'up: service="" (not the system\'s name)',
    ]);
  });

  it('flags a label the contract does not declare', () => {
    const text = 'ingesta_subscriber_batches_total{service="s",result="ok",email="a@b.c"} 1\n';

    expect(labelBudgetViolations(catalog, text, { service: 's' })).toEqual([
      'ingesta_subscriber_batches_total: email="a@b.c" (not a label of the contract)',
    ]);
  });
});
