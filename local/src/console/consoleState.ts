import type { Registry } from 'prom-client';
import { z } from 'zod';
import { redactEmails } from '#shared/logging/personalData.ts';
import { PromMetric } from '#shared/metrics/metricNames.ts';
import type { SqlExecutor } from '#shared/store/sqlExecutor.ts';
import { parseSnsEnvelope } from '#subscriber/events/snsMessages.ts';
import type { LocalQueue } from '../localQueue.ts';
import { evaluate, type SeriesSource, singleValue } from './promql.ts';
import { parsePromql } from './promqlParser.ts';
import { SeriesHistory, type SeriesSample } from './seriesHistory.ts';
import type { SloDefinition } from './sloRules.ts';
import { sloSnapshot } from './sloSnapshot.ts';
import type {
  ChartSeries,
  ConsoleSnapshot,
  DeadLetterRow,
  FlowSnapshot,
  SloSnapshot,
  UserRow,
} from './snapshot.ts';

interface ConsoleDeps {
  queue: LocalQueue;
  dlq: LocalQueue;
  db: SqlExecutor;
  registry: Registry;
  /** Epoch ms when the process started: every counter was zero then. */
  startedAtMs: number;
  loadSlos: () => Promise<SloDefinition[]>;
  now?: () => number;
  /** Visible messages and no batch for this long: the queue is stalled (default 30 s). */
  stallMs?: number;
}

/** The families the console keeps: the API's, the subscriber's and event age. */
const SAMPLED = [
  PromMetric.apiRequests,
  PromMetric.apiDuration,
  PromMetric.records,
  PromMetric.batches,
  PromMetric.eventAge,
] as const;

/** Fine samples for the charts and short windows; coarse ones for the 1 h and 6 h windows. */
const FINE_STEP_MS = 5_000;
const FINE_SPAN_MS = 35 * 60_000;
const COARSE_STEP_MS = 60_000;
const COARSE_SPAN_MS = 6 * 3_600_000 + 10 * 60_000;
const CHART_SPAN_MS = 5 * 60_000;
/** Visible messages and no batch for this long: the queue is stalled. */
const STALL_MS = 30_000;
const NEWEST_USERS = 8;
const DEAD_LETTER_PAGE = 50;

const q = (text: string) => parsePromql(text);
const FLOW = {
  accepted: q(`sum(rate(${PromMetric.apiRequests}{route="/users", method="POST", status="202"}[1m]))`),
  records: q(`sum(rate(${PromMetric.records}[1m]))`),
  written: q(`sum(rate(${PromMetric.records}{outcome="written"}[1m]))`),
};
const quantiles = (metric: string) =>
  Object.fromEntries(
    (['p50', 'p95', 'p99'] as const).map((name) => [
      name,
      q(`histogram_quantile(0.${name.slice(1)}, sum by (le) (rate(${metric}_bucket[20s])))`),
    ]),
  );
const CHARTS = {
  latency: quantiles(PromMetric.apiDuration),
  throughput: {
    'requests/s': q(`sum(rate(${PromMetric.apiRequests}[20s]))`),
    'written/s': q(`sum(rate(${PromMetric.records}{outcome="written"}[20s]))`),
  },
  eventAge: quantiles(PromMetric.eventAge),
};
/** Charts in milliseconds for latency, seconds for event age. */
const CHART_SCALE = { latency: 1000, throughput: 1, eventAge: 1 } as const;

const UserRowSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string(),
  email: z.string(),
  updated_at: z.union([z.date(), z.string()]).transform((d) => new Date(d).toISOString()),
});

/**
 * What the console shows, read from the runtime's own state: the queues, the database and the Prometheus
 * registry `/_local/metrics` serves. Sampling starts when the console is first opened, never before, so a
 * run nobody watches pays nothing; from then on it is bounded (FINE_SPAN_MS and COARSE_SPAN_MS of samples).
 */
class ConsoleState {
  readonly #deps: ConsoleDeps;
  readonly #now: () => number;
  readonly #fine = new SeriesHistory(Math.ceil(FINE_SPAN_MS / FINE_STEP_MS));
  readonly #coarse = new SeriesHistory(Math.ceil(COARSE_SPAN_MS / COARSE_STEP_MS));
  #timer: NodeJS.Timeout | undefined;
  #slos: Promise<SloDefinition[]> | undefined;
  #lastCoarseMs = 0;
  readonly #chartCache = new Map<number, Record<string, Record<string, number | null>>>();
  #previous: ConsoleSnapshot | undefined;
  #lastBatches = -1;
  #lastBatchAt = 0;
  #visibleSince: number | undefined;

  constructor(deps: ConsoleDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Starts sampling (once); the timer does not keep the process alive. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#fine.addZeroRow(this.#deps.startedAtMs);
    this.#coarse.addZeroRow(this.#deps.startedAtMs);
    this.#slos = this.#deps.loadSlos();
    // An unhandled rejection would end the process; the snapshot reports the failure instead.
    this.#slos.catch(() => {});
    void this.#sample();
    this.#timer = setInterval(() => void this.#sample(), FINE_STEP_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async #read(): Promise<SeriesSample[]> {
    const out: SeriesSample[] = [];
    for (const name of SAMPLED) {
      const metric = this.#deps.registry.getSingleMetric(name);
      if (metric === undefined) continue;
      const { values } = await metric.get();
      for (const v of values) {
        const labels = Object.fromEntries(Object.entries(v.labels).map(([k, l]) => [k, String(l)]));
        out.push({ name: (v as { metricName?: string }).metricName ?? name, labels, value: v.value });
      }
    }
    return out;
  }

  async #sample(): Promise<void> {
    const at = this.#now();
    const samples = await this.#read();
    this.#fine.add(at, samples);
    if (at - this.#lastCoarseMs >= COARSE_STEP_MS) {
      this.#coarse.add(at, samples);
      this.#lastCoarseMs = at;
    }
  }

  /** The finest history that holds `window` (ms); undefined when none keeps that long. */
  #historyFor(windowMs: number): SeriesHistory | undefined {
    if (windowMs <= FINE_SPAN_MS - FINE_STEP_MS) return this.#fine;
    if (windowMs <= COARSE_SPAN_MS - COARSE_STEP_MS) return this.#coarse;
    return undefined;
  }

  async snapshot(): Promise<ConsoleSnapshot> {
    const at = this.#now();
    const current = new SeriesHistory(1);
    current.add(at, await this.#read());
    const total = (name: string, filter: Record<string, string> = {}): number =>
      current
        .select(
          name,
          Object.entries(filter).map(([label, value]) => ({ label, op: '=' as const, value })),
          at,
          at,
        )
        .reduce((sum, s) => sum + (s.points[0]?.[1] ?? 0), 0);
    const fineAt = this.#fine.latestMs ?? at;
    const rate = (expr: (typeof FLOW)[keyof typeof FLOW]) => singleValue(evaluate(expr, this.#fine, fineAt));

    const state = await this.#readDatabase();
    const statusCount = (prefix: string) =>
      current
        .select(PromMetric.apiRequests, [{ label: 'status', op: '=~', value: `${prefix}..` }], at, at)
        .reduce((sum, s) => sum + (s.points[0]?.[1] ?? 0), 0);
    const batches = total(PromMetric.batches);
    if (batches !== this.#lastBatches) {
      this.#lastBatches = batches;
      this.#lastBatchAt = at;
    }
    const visible = state?.queue.visible ?? this.#previous?.flow.queue.visible ?? 0;
    if (visible === 0) this.#visibleSince = undefined;
    else this.#visibleSince ??= at;
    const quietFor = Math.min(at - this.#lastBatchAt, at - (this.#visibleSince ?? at));
    const accepted = total(PromMetric.apiRequests, { route: '/users', method: 'POST', status: '202' });
    const flow: FlowSnapshot = {
      api: {
        accepted,
        clientErrors: statusCount('4'),
        serverErrors: statusCount('5'),
        ratePerSecond: rate(FLOW.accepted),
      },
      topic: { published: accepted, ratePerSecond: rate(FLOW.accepted) },
      queue: {
        visible,
        inFlight: state?.queue.inFlight ?? this.#previous?.flow.queue.inFlight ?? 0,
        stalled: visible > 0 && quietFor >= (this.#deps.stallMs ?? STALL_MS),
      },
      subscriber: {
        batches,
        failed: total(PromMetric.records, { outcome: 'failed' }),
        ratePerSecond: rate(FLOW.records),
      },
      database: {
        written: total(PromMetric.records, { outcome: 'written' }),
        unchanged: total(PromMetric.records, { outcome: 'unchanged' }),
        ratePerSecond: rate(FLOW.written),
        up: state !== undefined,
      },
      dlq: { depth: state?.deadLetters.total ?? this.#previous?.flow.dlq.depth ?? 0 },
    };
    const snapshot: ConsoleSnapshot = {
      at,
      startedAt: this.#deps.startedAtMs,
      flow,
      ...this.#charts(),
      slos: await this.#sloSnapshots(current, at),
      newestUsers: state?.newestUsers ?? this.#previous?.newestUsers ?? [],
      deadLetters: state?.deadLetters ?? this.#previous?.deadLetters ?? { total: 0, items: [] },
    };
    this.#previous = snapshot;
    return snapshot;
  }

  /** Queue depths, the newest users and the first dead letters; undefined when the database does not answer. */
  async #readDatabase() {
    const { queue, dlq, db } = this.#deps;
    try {
      const [queueStats, dlqStats, users, letters] = await Promise.all([
        queue.stats(),
        dlq.stats(),
        db.query(`SELECT id, name, email, updated_at FROM users ORDER BY id DESC LIMIT ${NEWEST_USERS}`),
        dlq.head(DEAD_LETTER_PAGE),
      ]);
      const newestUsers: UserRow[] = users.rows.map((row) => {
        const r = UserRowSchema.parse(row);
        return { id: r.id, name: r.name, email: r.email, updatedAt: r.updated_at };
      });
      const items: DeadLetterRow[] = letters.map((m) => ({
        messageId: m.messageId,
        receiveCount: m.receiveCount,
        sentAt: new Date(m.sentTimestamp).toISOString(),
        deadLetteredAt: m.deadLetteredAt === null ? null : new Date(m.deadLetteredAt).toISOString(),
        lastError: m.lastError === null ? null : redactEmails(m.lastError),
        messageBytes: Buffer.byteLength(parseSnsEnvelope(m.body)?.Message ?? m.body, 'utf8'),
      }));
      return { queue: queueStats, newestUsers, deadLetters: { total: dlqStats.total, items } };
    } catch {
      return undefined;
    }
  }

  /** One point per fine sample over the last 5 minutes, each computed once. */
  #charts(): Pick<ConsoleSnapshot, 'latency' | 'throughput' | 'eventAge'> {
    const latest = this.#fine.latestMs ?? this.#now();
    const times = this.#fine.timesAfter(latest - CHART_SPAN_MS);
    const points = times.map((t) => {
      let point = this.#chartCache.get(t);
      if (point === undefined) {
        point = Object.fromEntries(
          Object.entries(CHARTS).map(([chart, lines]) => [
            chart,
            Object.fromEntries(
              Object.entries(lines).map(([line, expr]) => {
                const value = singleValue(evaluate(expr, this.#fine, t));
                const scale = CHART_SCALE[chart as keyof typeof CHART_SCALE];
                return [line, value === null ? null : value * scale];
              }),
            ),
          ]),
        );
        if (t < latest) this.#chartCache.set(t, point);
      }
      return point;
    });
    for (const t of this.#chartCache.keys()) if (t <= latest - CHART_SPAN_MS) this.#chartCache.delete(t);
    const series = (chart: keyof typeof CHARTS): ChartSeries => ({
      times,
      lines: Object.fromEntries(
        Object.keys(CHARTS[chart]).map((line) => [line, points.map((p) => p[chart]?.[line] ?? null)]),
      ),
    });
    return { latency: series('latency'), throughput: series('throughput'), eventAge: series('eventAge') };
  }

  async #sloSnapshots(current: SeriesSource, at: number): Promise<SloSnapshot[]> {
    const slos = await (this.#slos ?? this.#deps.loadSlos());
    return slos.map((slo) =>
      sloSnapshot(slo, current, at, this.#deps.startedAtMs, (w) => this.#historyFor(w)),
    );
  }
}

export type { ConsoleDeps };
export { ConsoleState };
