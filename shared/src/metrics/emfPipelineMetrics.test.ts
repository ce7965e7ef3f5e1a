import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { EmfPipelineMetrics } from './emfPipelineMetrics.ts';

/**
 * The EMF specification's rules for one document: a millisecond Timestamp; each directive names its
 * namespace, dimension sets (at most 30 names) and metrics; every dimension is a string member at the root
 * and every metric a number, or an array of at most 100 numbers, at the root.
 */
const EmfDocument = z
  .object({
    _aws: z.object({
      Timestamp: z.number().int().positive(),
      CloudWatchMetrics: z
        .array(
          z.strictObject({
            Namespace: z.string().min(1).max(255),
            Dimensions: z.array(z.array(z.string()).max(30)).min(1),
            Metrics: z
              .array(
                z.strictObject({
                  Name: z.string().min(1).max(1024),
                  Unit: z.enum(['Count', 'Milliseconds']),
                }),
              )
              .min(1)
              .max(100),
          }),
        )
        .min(1),
    }),
  })
  .catchall(z.unknown())
  .superRefine((doc, ctx) => {
    for (const directive of doc._aws.CloudWatchMetrics) {
      for (const name of directive.Dimensions.flat())
        if (typeof doc[name] !== 'string')
          ctx.addIssue({ code: 'custom', message: `dimension ${name} missing` });
      for (const { Name } of directive.Metrics) {
        const value = doc[Name];
        const ok =
          typeof value === 'number' ||
          (Array.isArray(value) && value.length <= 100 && value.every((v) => typeof v === 'number'));
        if (!ok) ctx.addIssue({ code: 'custom', message: `metric ${Name} has no valid value` });
      }
    }
  });
type EmfDocument = z.output<typeof EmfDocument>;

/** The metrics, and every line they write as a validated EMF document. */
const emfMetrics = () => {
  const writes: string[] = [];
  const metrics = new EmfPipelineMetrics({
    namespace: 'Ingesta',
    serviceName: 'ingesta-test',
    write: (lines) => writes.push(lines),
  });
  const documents = (): EmfDocument[] =>
    writes.flatMap((w) => {
      expect(w.endsWith('\n')).toBe(true);
      return w
        .split('\n')
        .filter(Boolean)
        .map((line) => EmfDocument.parse(JSON.parse(line)));
    });
  return { metrics, writes, documents };
};

/** The dimension set each metric is declared with, by metric name. */
const declared = (doc: EmfDocument) =>
  Object.fromEntries(
    doc._aws.CloudWatchMetrics.flatMap((d) => d.Metrics.map((m) => [m.Name, d.Dimensions[0]])),
  );

describe('EmfPipelineMetrics', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes an API request as one document: its count by route and status class, its latency by route and method', () => {
    const { metrics, writes, documents } = emfMetrics();
    metrics.apiRequest({ route: '/users/{id}', method: 'GET', status: 404, durationMs: 12.5 });
    expect(writes).toHaveLength(1);
    const [doc] = documents();
    expect(doc).toMatchObject({
      ApiRequests: 1,
      ApiLatency: 12.5,
      route: '/users/{id}',
      statusClass: '4xx',
      method: 'GET',
      service: 'ingesta-test',
    });
    expect(doc?._aws.CloudWatchMetrics.every((d) => d.Namespace === 'Ingesta')).toBe(true);
    expect(declared(doc as EmfDocument)).toEqual({
      ApiRequests: ['service', 'route', 'statusClass'],
      ApiLatency: ['service', 'route', 'method'],
    });
  });

  it('writes a batch as one document, with every event age as a value and the batch count by result', () => {
    const { metrics, writes, documents } = emfMetrics();
    metrics.subscriberBatch({
      written: 2,
      unchanged: 1,
      failed: 1,
      durationMs: 30,
      eventAgesMs: [100, 250, 400],
      result: 'partial',
    });
    metrics.flush();
    expect(writes).toHaveLength(1);
    const [doc] = documents();
    expect(doc).toMatchObject({
      RecordsWritten: 2,
      RecordsUnchanged: 1,
      RecordsFailed: 1,
      BatchDuration: 30,
      EventAge: [100, 250, 400],
      Batches: 1,
      result: 'partial',
      service: 'ingesta-test',
    });
    expect(declared(doc as EmfDocument)).toEqual({
      RecordsWritten: ['service'],
      RecordsUnchanged: ['service'],
      RecordsFailed: ['service'],
      BatchDuration: ['service'],
      EventAge: ['service'],
      Batches: ['service', 'result'],
    });
  });

  it('writes every event age of a batch once, at most 100 values to a document, in one write', () => {
    const { metrics, writes, documents } = emfMetrics();
    const ages = Array.from({ length: 250 }, (_, i) => i);
    metrics.subscriberBatch({
      written: 250,
      unchanged: 0,
      failed: 0,
      durationMs: 5,
      eventAgesMs: ages,
      result: 'ok',
    });
    expect(writes).toHaveLength(1);
    const values = documents().map((d) => d.EventAge as number[]);
    expect(values.map((v) => v.length)).toEqual([100, 100, 50]);
    expect(values.flat()).toEqual(ages);
    expect(documents().filter((d) => 'Batches' in d)).toHaveLength(1);
  });

  it('writes a future-dated event as 0 ms old and leaves out an age that is no number, as Prometheus does', () => {
    const { metrics, documents } = emfMetrics();
    metrics.subscriberBatch({
      written: 3,
      unchanged: 0,
      failed: 0,
      durationMs: 5,
      eventAgesMs: [-250, Number.NaN, 40, Number.POSITIVE_INFINITY],
      result: 'ok',
    });
    expect(documents()[0]?.EventAge).toEqual([0, 40]);
  });

  it('declares no event age for a batch that landed nothing', () => {
    const { metrics, documents } = emfMetrics();
    metrics.subscriberBatch({
      written: 0,
      unchanged: 0,
      failed: 3,
      durationMs: 5,
      eventAgesMs: [],
      result: 'error',
    });
    const [doc] = documents();
    expect(doc).not.toHaveProperty('EventAge');
    expect(declared(doc as EmfDocument)).not.toHaveProperty('EventAge');
  });

  it('writes to stdout unless told otherwise, and nothing on flush', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const metrics = new EmfPipelineMetrics({ namespace: 'Ingesta', serviceName: 'ingesta-test' });
    metrics.flush();
    expect(lines).toEqual([]);
    metrics.apiRequest({ route: '/health', method: 'GET', status: 200, durationMs: 1 });
    expect(lines).toHaveLength(1);
    expect(EmfDocument.parse(JSON.parse(lines[0] ?? ''))).toMatchObject({ route: '/health' });
  });
});
