import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmfPipelineMetrics } from './emfPipelineMetrics.ts';

/** Captures what Powertools writes to stdout: one EMF JSON document per line. */
const captureEmf = () => {
  const lines: Record<string, unknown>[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    return true;
  });
  return lines;
};

const emfMetrics = () =>
  new EmfPipelineMetrics(new Metrics({ namespace: 'Ingesta', serviceName: 'ingesta-test' }));

const dimensionsOf = (doc: Record<string, unknown>) =>
  (doc._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] }).CloudWatchMetrics[0]?.Dimensions[0];

describe('EmfPipelineMetrics', () => {
  afterEach(() => vi.restoreAllMocks());

  it('emits an API request with route and status class, and its latency by route and method', () => {
    const lines = captureEmf();
    const metrics = emfMetrics();
    metrics.apiRequest({ route: '/users/{id}', method: 'GET', status: 404, durationMs: 12.5 });
    metrics.flush();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      ApiRequests: 1,
      route: '/users/{id}',
      statusClass: '4xx',
      service: 'ingesta-test',
    });
    expect(dimensionsOf(lines[0] ?? {})).toEqual(expect.arrayContaining(['service', 'route', 'statusClass']));
    expect(lines[1]).toMatchObject({ ApiLatency: 12.5, route: '/users/{id}', method: 'GET' });
    expect(dimensionsOf(lines[1] ?? {})).toEqual(expect.arrayContaining(['service', 'route', 'method']));
    expect(dimensionsOf(lines[1] ?? {})).not.toContain('statusClass');
  });

  it('buffers batch figures until flush, with every event age as a value', () => {
    const lines = captureEmf();
    const metrics = emfMetrics();
    metrics.subscriberBatch({
      written: 2,
      unchanged: 1,
      failed: 1,
      durationMs: 30,
      eventAgesMs: [100, 250, 400],
      result: 'partial',
    });
    expect(lines.map((l) => Object.keys(l).find((k) => k === 'Batches'))).toContain('Batches');
    expect(lines.some((l) => 'RecordsWritten' in l)).toBe(false);
    metrics.flush();
    const batch = lines.find((l) => 'RecordsWritten' in l);
    expect(batch).toMatchObject({
      RecordsWritten: 2,
      RecordsUnchanged: 1,
      RecordsFailed: 1,
      BatchDuration: 30,
      EventAge: [100, 250, 400],
    });
    expect(lines.find((l) => 'Batches' in l)).toMatchObject({ result: 'partial' });
  });

  it('writes nothing and warns about nothing when there is nothing buffered', () => {
    const lines = captureEmf();
    const warn = vi.spyOn(console, 'warn');
    emfMetrics().flush();
    expect(lines).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });
});
