/**
 * Fleet scale run: Debian's prometheus scrapes 1, 10 and 50 systems (bench/fleetExporter.ts) on loopback with the
 * rules of observability/prometheus loaded, and reports the series count and each rule group's evaluation time
 * (prometheus_rule_group_last_duration_seconds), the growth per system, and a projection to 500 systems.
 * Bounded: FLEET_RUN_S seconds per size (default 40). Skips, saying so, when prometheus is missing.
 * Standalone: `npx tsx bench/fleet.ts`; `npm run bench` calls it too.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFleetExporter } from './fleetExporter.ts';
import { historyCost, steadyStateSamples } from './fleetHistory.ts';
import { prometheusPath, startPrometheus } from './prometheusServer.ts';
import { record } from './report.ts';
import { fmt, median } from './stats.ts';

const RULES_DIR = fileURLToPath(new URL('../observability/prometheus/rules/', import.meta.url));
const SIZES = [1, 10, 50] as const;
const INTERVAL_S = 2;
const RUN_MS = Number(process.env.FLEET_RUN_S ?? 40) * 1_000;
const WARMUP_MS = 12_000;
/** Production scrape interval (prometheus.yml), for the steady-state sample volume of the long windows. */
const PRODUCTION_SCRAPE_S = 15;

interface SizeResult {
  readonly systems: number;
  /** Series one system exposes: Ingesta's own (ingesta_*) and Node's process defaults. */
  readonly exposed: { readonly ingesta: number; readonly defaults: number };
  readonly headSeries: number;
  /** Resident memory of prometheus at the end of the run, MB. */
  readonly rssMb: number;
  readonly samplesPerTarget: number;
  readonly recordedSeries: number;
  /** Median last_duration of each rule group, ms. */
  readonly groupMs: ReadonlyMap<string, number>;
  readonly missedIterations: number;
  readonly firing: readonly string[];
}

const metricValues = (text: string, name: string): { labels: string; value: number }[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const match = /^[^{\s]+(\{.*\})?\s+(\S+)/.exec(line);
      return { labels: match?.[1] ?? '', value: Number(match?.[2]) };
    });

async function query(
  url: string,
  promql: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`, {
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as {
    data?: { result?: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return body.data?.result ?? [];
}

const scalar = async (url: string, promql: string): Promise<number> =>
  Number((await query(url, promql))[0]?.value[1] ?? Number.NaN);

function configFor(port: number, systems: readonly { name: string; path: string }[]): string {
  const rules = readdirSync(RULES_DIR)
    .filter((name) => name.endsWith('.yml'))
    .map((name) => `  - ${JSON.stringify(join(RULES_DIR, name))}`);
  const targets = systems.map(
    (system) =>
      `      - targets: ["127.0.0.1:${port}"]\n        labels: { service: ${system.name}, __metrics_path__: "${system.path}" }`,
  );
  return [
    'global:',
    `  scrape_interval: ${INTERVAL_S}s`,
    `  evaluation_interval: ${INTERVAL_S}s`,
    'rule_files:',
    ...rules,
    'scrape_configs:',
    '  - job_name: ingesta',
    '    static_configs:',
    ...targets,
    '    metric_relabel_configs:',
    '      - action: labeldrop',
    '        regex: exported_service',
    '',
  ].join('\n');
}

async function runSize(binary: string, systems: number): Promise<SizeResult> {
  const exporter = await startFleetExporter(systems, new Set([0]));
  try {
    const prometheus = await startPrometheus(binary, configFor(exporter.port, exporter.systems));
    try {
      const started = Date.now();
      const samples = new Map<string, number[]>();
      while (Date.now() - started < RUN_MS) {
        await new Promise((resolve) => setTimeout(resolve, INTERVAL_S * 1_000));
        if (Date.now() - started < WARMUP_MS) continue;
        const text = await (
          await fetch(`${prometheus.url}/metrics`, { signal: AbortSignal.timeout(5_000) })
        ).text();
        for (const { labels, value } of metricValues(text, 'prometheus_rule_group_last_duration_seconds')) {
          const group = /rule_group="[^"]*;([^"]+)"/.exec(labels)?.[1] ?? labels;
          samples.set(group, [...(samples.get(group) ?? []), value * 1_000]);
        }
      }
      const text = await (
        await fetch(`${prometheus.url}/metrics`, { signal: AbortSignal.timeout(5_000) })
      ).text();
      const firing = await query(prometheus.url, 'ALERTS{alertstate="firing"}');
      const exposition = (await exporter.systems[0]?.metrics.registry.metrics()) ?? '';
      const lines = exposition.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
      return {
        systems,
        exposed: {
          ingesta: lines.filter((line) => line.startsWith('ingesta_')).length,
          defaults: lines.filter((line) => !line.startsWith('ingesta_')).length,
        },
        headSeries: metricValues(text, 'prometheus_tsdb_head_series')[0]?.value ?? Number.NaN,
        rssMb: (metricValues(text, 'process_resident_memory_bytes')[0]?.value ?? Number.NaN) / 1_048_576,
        samplesPerTarget: await scalar(
          prometheus.url,
          'avg(scrape_samples_post_metric_relabeling{job="ingesta"})',
        ),
        recordedSeries: await scalar(prometheus.url, 'count({__name__=~"slo:.+|service:.+"})'),
        groupMs: new Map([...samples].map(([group, values]) => [group, median(values)])),
        missedIterations: metricValues(text, 'prometheus_rule_group_iterations_missed_total').reduce(
          (sum, { value }) => sum + value,
          0,
        ),
        firing: [
          ...new Set(firing.map((alert) => `${alert.metric.service}:${alert.metric.alertname}`)),
        ].sort(),
      };
    } finally {
      await prometheus.stop();
    }
  } finally {
    await exporter.stop();
  }
}

/** Least-squares slope and intercept of y over x. */
function linearFit(points: readonly (readonly [number, number])[]): { slope: number; intercept: number } {
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxy = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

const totalMs = (result: SizeResult): number => [...result.groupMs.values()].reduce((sum, ms) => sum + ms, 0);

async function fleetBench(sizes: readonly number[] = SIZES): Promise<SizeResult[] | undefined> {
  const binary = prometheusPath();
  if (binary === undefined) {
    console.log(
      '  fleet · SKIPPED: prometheus not found (Debian: apt-get install prometheus, or set PROMETHEUS)',
    );
    return undefined;
  }
  const results: SizeResult[] = [];
  for (const systems of sizes) {
    console.log(`  fleet · ${systems} system(s), ${RUN_MS / 1000} s…`);
    results.push(await runSize(binary, systems));
  }

  const groups = [...new Set(results.flatMap((result) => [...result.groupMs.keys()]))].sort();
  console.log(
    '\n| Systems | Head series | Prometheus RSS (MB) | Samples per target | Recorded series | Σ rule eval (ms) | Missed iterations | Firing |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.systems} | ${r.headSeries} | ${fmt(r.rssMb, 0)} | ${fmt(r.samplesPerTarget)} | ${r.recordedSeries} | ${fmt(totalMs(r))} | ${r.missedIterations} | ${r.firing.join(', ') || 'none'} |`,
    );
  }
  console.log(
    `\n| Rule group | ${results.map((r) => `${r.systems} sys (ms)`).join(' | ')} | ms per system |`,
  );
  console.log(`|---|${results.map(() => '---|').join('')}---|`);
  for (const group of groups) {
    const points = results.map((r) => [r.systems, r.groupMs.get(group) ?? Number.NaN] as const);
    console.log(
      `| ${group} | ${points.map(([, ms]) => fmt(ms, 2)).join(' | ')} | ${fmt(linearFit(points).slope, 3)} |`,
    );
  }

  const series = linearFit(results.map((r) => [r.systems, r.headSeries] as const));
  const evalMs = linearFit(results.map((r) => [r.systems, totalMs(r)] as const));
  const rss = linearFit(results.map((r) => [r.systems, r.rssMb] as const));
  const at500 = {
    series: series.intercept + 500 * series.slope,
    evalMs: evalMs.intercept + 500 * evalMs.slope,
  };
  console.log(
    `\nGrowth: ${fmt(series.slope)} series per system (intercept ${fmt(series.intercept)}), ` +
      `${fmt(evalMs.slope, 3)} ms of rule evaluation per system per cycle (intercept ${fmt(evalMs.intercept, 2)} ms), ` +
      `${fmt(rss.slope, 2)} MB of prometheus RSS per system (intercept ${fmt(rss.intercept, 0)} MB).`,
  );
  console.log(
    `At 500 systems, by the same line: ~${fmt(at500.series, 0)} head series, ~${fmt(at500.evalMs, 1)} ms per evaluation ` +
      `cycle with ${RUN_MS / 1000} s of history. The 28d and 3d windows read every sample in them: at a ${PRODUCTION_SCRAPE_S} s ` +
      `scrape that is ${fmt((28 * 86_400) / PRODUCTION_SCRAPE_S, 0)} samples per series for each 28d rule.`,
  );
  const exposed = results[0]?.exposed;
  console.log(
    `One system exposes ${exposed?.ingesta} ingesta_* series and ${exposed?.defaults} process and Node series; ` +
      `the rules record ${fmt((results.at(-1)?.recordedSeries ?? 0) / (results.at(-1)?.systems ?? 1), 0)} series per system.`,
  );

  const promtool = process.env.PROMTOOL ?? '/usr/bin/promtool';
  if (existsSync(promtool)) {
    console.log(`\n  fleet · long windows: backfilling one system's SLI series with promtool…`);
    const cost = await historyCost(binary, promtool);
    console.log(
      `\nOne system, ${cost.days} days of history at one sample per ${cost.stepS} s (${cost.series} SLI series), ` +
        "each window's three SLI rules run as queries at its end:",
    );
    const slos = Object.keys(cost.windows[0]?.bySlo ?? {});
    console.log(
      `\n| Window | Samples read | Time (ms) | ${slos.map((slo) => `${slo} samples / ms`).join(' | ')} |\n|---|---|---|${slos.map(() => '---|').join('')}`,
    );
    for (const w of cost.windows) {
      const parts = slos.map(
        (slo) => `${w.bySlo[slo]?.samples ?? 0} / ${fmt(w.bySlo[slo]?.ms ?? Number.NaN, 2)}`,
      );
      console.log(`| ${w.window} | ${w.samples} | ${fmt(w.ms, 2)} | ${parts.join(' | ')} |`);
    }
    const samples = steadyStateSamples(cost, PRODUCTION_SCRAPE_S);
    const perSystemMs = (samples * cost.nsPerSample) / 1e6;
    const budgetMs = PRODUCTION_SCRAPE_S * 1_000;
    console.log(
      `\n${fmt(cost.nsPerSample, 0)} ns per sample read. With a full 28 days at a ${PRODUCTION_SCRAPE_S} s scrape, one ` +
        `system's SLI rules read ~${fmt(samples / 1e6, 1)} M samples per evaluation: ~${fmt(perSystemMs, 0)} ms. ` +
        `A ${PRODUCTION_SCRAPE_S} s evaluation interval holds ~${fmt(budgetMs / perSystemMs, 0)} systems on one core; ` +
        `500 systems need ~${fmt((500 * perSystemMs) / 1_000, 0)} s per cycle.`,
    );
    record({
      suite: 'fleet',
      measure: 'SLI rules with 28 d of history, per system per cycle',
      ours: `${fmt(perSystemMs, 0)} ms`,
      anchor: `${PRODUCTION_SCRAPE_S} s interval`,
      ratio: `~${fmt(budgetMs / perSystemMs, 0)} systems fit`,
    });
  } else {
    console.log(`  fleet · long windows SKIPPED: promtool not found at ${promtool}`);
  }

  record({
    suite: 'fleet',
    measure: 'head series per system',
    ours: fmt(series.slope),
    anchor: `${results[0]?.headSeries ?? '?'} at 1 system`,
    ratio: `${fmt(at500.series, 0)} at 500`,
  });
  record({
    suite: 'fleet',
    measure: 'rule evaluation per system per cycle',
    ours: `${fmt(evalMs.slope, 3)} ms`,
    anchor: `${fmt(totalMs(results[0] as SizeResult), 2)} ms at 1 system`,
    ratio: `${fmt(at500.evalMs, 0)} ms at 500 (short history)`,
  });
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await fleetBench();
}

export type { SizeResult };
export { fleetBench };
