/**
 * The local console: its script bundle's size, and how long the page takes to load and show its first live
 * snapshot in Chromium, against a bare fetch of `/_local/metrics` from the same `npm start`, same run.
 * Also npm start's resident memory before anyone opened the console and after.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildPageBundle } from '#local/console/pageAssets.ts';
import { CHROMIUM, launchChromium } from '#tests/support/chromium.ts';
import { killGroup, npmStart } from '#tests/support/npmStart.ts';
import { record } from './report.ts';
import { fmt, median, timeRuns } from './stats.ts';

const LOADS = 15;

/** The server process under npm: the node child of the group leader. */
const rssMb = (npmPid: number): number => {
  const children = readFileSync(`/proc/${npmPid}/task/${npmPid}/children`, 'utf8').trim().split(/\s+/);
  const pid = Number(children[0] ?? npmPid);
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? Number.NaN) / 1024;
};

const consoleBench = async (): Promise<void> => {
  const bundle = await buildPageBundle();
  const bytes = Buffer.byteLength(bundle);
  const gzipped = gzipSync(bundle).byteLength;
  record({
    suite: 'console',
    measure: 'page script bundle (esbuild, minified) / gzipped',
    ours: `${fmt(bytes / 1024, 1)} / ${fmt(gzipped / 1024, 1)} KB`,
    anchor: 'pg-only Lambda bundle: 87 KB',
    ratio: `${fmt(bytes / 1024 / 87)}×`,
  });

  if (!existsSync(CHROMIUM)) {
    console.log(`  console · page load: SKIPPED (no Chromium at ${CHROMIUM}; apt-get install chromium)`);
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'ingesta-bench-console-'));
  const app = await npmStart({ INGESTA_DATA_DIR: dataDir, DATABASE_URL: undefined });
  const browser = await launchChromium();
  try {
    const pid = app.child.pid ?? 0;
    const idleRss = rssMb(pid);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Timed in the page (Performance API), from navigation start: no test-driver polling in the figure.
    const load = async (): Promise<number> => {
      await page.goto(`${app.url}/_local/`);
      await page.locator('#connection', { hasText: /^Live/ }).waitFor();
      return page.evaluate(() => performance.getEntriesByName('console-live')[0]?.startTime ?? Number.NaN);
    };
    const metricsPage = async (): Promise<number> => {
      await page.goto(`${app.url}/_local/metrics`);
      return page.evaluate(
        () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd,
      );
    };
    const cold = await load();
    const metrics = () => fetch(`${app.url}/_local/metrics`).then((r) => r.text());
    // Paired: one page load, then one bare metrics fetch, so drift hits both alike.
    // A second anchor: the same browser opening the metrics text (to its load event), its overhead alone.
    const ours: number[] = [];
    const anchor: number[] = [];
    const browserAnchor: number[] = [];
    for (let i = 0; i < LOADS; i += 1) {
      ours.push(await load());
      anchor.push(...(await timeRuns(1, metrics)));
      browserAnchor.push(await metricsPage());
    }
    record({
      suite: 'console',
      measure: `page: navigation start to first live snapshot drawn, median of ${LOADS} (first load, bundle built: ${fmt(cold, 0)} ms)`,
      ours: `${fmt(median(ours), 1)} ms`,
      anchor: `GET /_local/metrics: ${fmt(median(anchor), 1)} ms (fetch) / ${fmt(median(browserAnchor), 1)} ms (Chromium opening it)`,
      ratio: `${fmt(median(ours) / median(anchor), 1)}× / ${fmt(median(ours) / median(browserAnchor), 1)}×`,
    });
    await page.close();
    record({
      suite: 'console',
      measure: 'npm start RSS: console never opened / after the loads above',
      ours: `${fmt(rssMb(pid), 0)} MB`,
      anchor: `${fmt(idleRss, 0)} MB`,
      ratio: `${fmt(rssMb(pid) / idleRss)}×`,
    });
  } finally {
    await browser.close();
    killGroup(app.child, 'SIGTERM');
    await app.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
};

export { consoleBench };
