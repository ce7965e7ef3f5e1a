import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PrometheusPipelineMetrics } from './prometheusPipelineMetrics.ts';

describe('PrometheusPipelineMetrics', () => {
  it('starts record and batch series at zero so rates exist before the first event', async () => {
    const registry = new Registry();
    new PrometheusPipelineMetrics(registry);
    const text = await registry.metrics();
    expect(text).toContain('ingesta_subscriber_records_total{outcome="failed"} 0');
    expect(text).toContain('ingesta_subscriber_batches_total{result="error"} 0');
  });

  it('counts requests by route, method and status, and observes seconds', async () => {
    const registry = new Registry();
    const metrics = new PrometheusPipelineMetrics(registry);
    metrics.apiRequest({ route: '/users', method: 'POST', status: 202, durationMs: 40 });
    metrics.apiRequest({ route: '/users', method: 'POST', status: 202, durationMs: 60 });
    const text = await registry.metrics();
    expect(text).toContain('ingesta_api_requests_total{route="/users",method="POST",status="202"} 2');
    expect(text).toContain(
      'ingesta_api_request_duration_seconds_bucket{le="0.05",route="/users",method="POST"} 1',
    );
    expect(text).toContain('ingesta_api_request_duration_seconds_sum{route="/users",method="POST"} 0.1');
  });

  it('records batch outcomes and event ages in seconds, clamping clock skew at zero', async () => {
    const registry = new Registry();
    const metrics = new PrometheusPipelineMetrics(registry);
    metrics.subscriberBatch({
      written: 3,
      unchanged: 1,
      failed: 2,
      durationMs: 20,
      eventAgesMs: [-5, 700, 45_000],
      result: 'partial',
    });
    const text = await registry.metrics();
    expect(text).toContain('ingesta_subscriber_records_total{outcome="written"} 3');
    expect(text).toContain('ingesta_subscriber_records_total{outcome="failed"} 2');
    expect(text).toContain('ingesta_subscriber_batches_total{result="partial"} 1');
    expect(text).toContain('ingesta_event_age_seconds_bucket{le="0.1"} 1');
    expect(text).toContain('ingesta_event_age_seconds_bucket{le="60"} 3');
    expect(text).toContain('ingesta_event_age_seconds_bucket{le="30"} 2');
  });
});
