/**
 * The cost the short scale run cannot show: SLI rules over long windows read every sample in them. One system's SLI
 * series (the labels `npm start` exposes, the traffic of bench/fleetExporter.ts) are backfilled for HISTORY_DAYS at
 * one sample a minute with promtool, then each SLI recording rule is run as a query at the end of that history with
 * query stats: samples read and time taken. From that, the cost per sample, and the cost at a production scrape.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { z } from 'zod';
import { createLocalMetrics } from '#local/localMetrics.ts';
import { quietQueue, tick } from './fleetExporter.ts';
import { startPrometheus } from './prometheusServer.ts';

const run = promisify(execFile);
const RULES_DIR = fileURLToPath(new URL('../observability/prometheus/rules/', import.meta.url));
const SLO_FILES = ['api-availability.yml', 'api-latency.yml', 'freshness.yml'] as const;
const HISTORY_DAYS = 3;
const STEP_S = 60;

interface WindowCost {
  readonly window: string;
  readonly seconds: number;
  /** Samples the three SLI rules of this window read for one system, and the time they took. */
  readonly samples: number;
  readonly ms: number;
  /** The same per SLO file (rule group). */
  readonly bySlo: Readonly<Record<string, { samples: number; ms: number }>>;
}

interface HistoryCost {
  readonly days: number;
  readonly stepS: number;
  readonly series: number;
  readonly windows: readonly WindowCost[];
  /** Time per sample read, from the windows that read the whole history (3d, 28d). */
  readonly nsPerSample: number;
}

const WINDOW_SECONDS: Readonly<Record<string, number>> = {
  '5m': 300,
  '30m': 1_800,
  '1h': 3_600,
  '6h': 21_600,
  '3d': 259_200,
  '28d': 2_419_200,
};

const ruleFileSchema = z.object({
  groups: z.array(
    z.object({ rules: z.array(z.object({ record: z.string().optional(), expr: z.string() })) }),
  ),
});

/** One system's SLI series and what each gains per second, from a second of the bench traffic. */
async function sliSeries(): Promise<{ series: string; perSecond: number }[]> {
  const queue = quietQueue('ingesta-users');
  const metrics = createLocalMetrics([queue], { service: 'sys-001' });
  tick({ name: 'sys-001', path: '', metrics, burning: false }, () => 0.5);
  const text = await metrics.registry.metrics();
  return text
    .split('\n')
    .filter((line) =>
      /^ingesta_(api_requests_total|api_request_duration_seconds_(bucket|count)|event_age_seconds_(bucket|count))\{/.test(
        line,
      ),
    )
    .map((line) => {
      const [series = '', value = '0'] = line.split(/\s+(?=\S+$)/);
      return { series, perSecond: Number(value) };
    });
}

/** OpenMetrics text: every series from `start` to `end`, one sample per STEP_S, counters growing steadily. */
function openMetrics(
  series: readonly { series: string; perSecond: number }[],
  start: number,
  end: number,
): string {
  const lines: string[] = [];
  for (const { series: name, perSecond } of series) {
    for (let t = start; t <= end; t += STEP_S) lines.push(`${name} ${perSecond * (t - start)} ${t}`);
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

const statsSchema = z.object({
  data: z.object({
    stats: z.object({
      timings: z.object({ execTotalTime: z.number() }),
      samples: z.object({ totalQueryableSamples: z.number() }),
    }),
  }),
});

async function historyCost(binary: string, promtool: string): Promise<HistoryCost> {
  const dir = mkdtempSync(join(tmpdir(), 'ingesta-fleet-history-'));
  try {
    const series = await sliSeries();
    const end = Math.floor(Date.now() / 1000 / STEP_S) * STEP_S - 2 * 3_600;
    const start = end - HISTORY_DAYS * 86_400;
    const input = join(dir, 'history.om');
    writeFileSync(input, openMetrics(series, start, end));
    const data = join(dir, 'data');
    await run(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', input, data], {
      timeout: 180_000,
    });
    rmSync(input);

    const prometheus = await startPrometheus(binary, 'global:\n  scrape_interval: 15s\n', 60_000, data);
    try {
      const rules = SLO_FILES.flatMap((file) =>
        ruleFileSchema
          .parse(parse(readFileSync(join(RULES_DIR, file), 'utf8')))
          .groups.flatMap((group) => group.rules)
          .filter((rule) => /error_ratio_rate\w+$/.test(rule.record ?? ''))
          .map((rule) => ({ ...rule, slo: file.replace('.yml', '') })),
      );
      const windows: WindowCost[] = [];
      for (const [window, seconds] of Object.entries(WINDOW_SECONDS)) {
        let samples = 0;
        let ms = 0;
        const bySlo: Record<string, { samples: number; ms: number }> = {};
        for (const rule of rules.filter((candidate) => candidate.record?.endsWith(`rate${window}`))) {
          // Best of three: the first run also pages chunks in.
          const runs: { samples: number; ms: number }[] = [];
          for (let i = 0; i < 3; i += 1) {
            const url = `${prometheus.url}/api/v1/query?stats=all&time=${end}&query=${encodeURIComponent(rule.expr)}`;
            const body = statsSchema.parse(
              await (await fetch(url, { signal: AbortSignal.timeout(60_000) })).json(),
            );
            runs.push({
              samples: body.data.stats.samples.totalQueryableSamples,
              ms: body.data.stats.timings.execTotalTime * 1_000,
            });
          }
          const best = { samples: runs[0]?.samples ?? 0, ms: Math.min(...runs.map((r) => r.ms)) };
          samples += best.samples;
          ms += best.ms;
          bySlo[rule.slo] = best;
        }
        windows.push({ window, seconds, samples, ms, bySlo });
      }
      const whole = windows.filter((w) => w.seconds >= HISTORY_DAYS * 86_400);
      const nsPerSample =
        (whole.reduce((sum, w) => sum + w.ms, 0) * 1e6) / whole.reduce((sum, w) => sum + w.samples, 0);
      return { days: HISTORY_DAYS, stepS: STEP_S, series: series.length, windows, nsPerSample };
    } finally {
      await prometheus.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Samples one system's SLI rules read per evaluation with a full history at a `scrapeS` scrape. */
function steadyStateSamples(cost: HistoryCost, scrapeS: number): number {
  const history = cost.days * 86_400;
  return cost.windows.reduce(
    (sum, w) =>
      sum +
      w.samples * (Math.min(w.seconds, 28 * 86_400) / Math.min(w.seconds, history)) * (cost.stepS / scrapeS),
    0,
  );
}

export type { HistoryCost, WindowCost };
export { historyCost, steadyStateSamples };
