/**
 * `npm start` as a developer runs it (`npm start`, so npm's own process counts): readiness and resident
 * memory of the whole process tree, against anchors run as processes of their own in the same run.
 * - PostgreSQL mode: RSS idle and under the GET load, against a bare node:http + pg.Pool(10) server.
 * - PGlite mode: first start (fresh data dir, copied from the machine's template) with its peak, restart;
 *   against a bare PGlite open (initdb) and reopen of a data dir (a node process that opens it, runs SELECT 1
 *   and says so).
 * 3 blocks (BENCH_BLOCKS) give medians and spreads.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { record } from './report.ts';
import { median, ratios, spread } from './stats.ts';

/** Every process under `root`, itself included. */
const tree = (root: number): number[] => {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const all = [root];
  for (let i = 0; i < all.length; i += 1) all.push(...(parents.get(all[i] as number) ?? []));
  return all;
};

/** VmRSS and VmHWM (peak) of one process, in MB. */
const memory = (pid: number): { rss: number; peak: number } => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: 0, peak: 0 };
  }
};

/** Summed over the tree: what the developer's machine gives the stack. */
const treeMemory = (root: number) =>
  tree(root)
    .map(memory)
    .reduce((a, b) => ({ rss: a.rss + b.rss, peak: a.peak + b.peak }), { rss: 0, peak: 0 });

interface Started {
  child: ChildProcess;
  ms: number;
  url: string;
  /** Highest tree RSS sampled while starting (every 100 ms): it sees children that are gone when ready. */
  startPeak: number;
}

/** Spawns `command` and waits for `ready` on its stdout; the URL it prints, if any, is returned. */
const startProcess = (
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: string,
): Promise<Started> =>
  new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let startPeak = 0;
    const sampler = setInterval(() => {
      if (child.pid !== undefined) startPeak = Math.max(startPeak, treeMemory(child.pid).rss);
    }, 100);
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(ready)) {
        clearInterval(sampler);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        const url = out.match(/http:\/\/127\.0\.0\.1:\d+/)?.[0] ?? '';
        const peak = child.pid === undefined ? 0 : treeMemory(child.pid).peak;
        resolve({ child, ms: performance.now() - start, url, startPeak: Math.max(startPeak, peak) });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) => {
      clearInterval(sampler);
      if (!out.includes(ready)) reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${out}`));
    });
  });

/** SIGINT (Ctrl-C) to the root, as a terminal sends it; whatever is left after 10 s is killed. */
const stop = async ({ child }: Started): Promise<void> => {
  const pids = child.pid === undefined ? [] : tree(child.pid);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGINT');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
};

/** Max tree RSS while autocannon loads `url` for `seconds`. */
const rssUnderLoad = async (root: number, url: string, seconds: number) => {
  let max = 0;
  const timer = setInterval(() => {
    max = Math.max(max, treeMemory(root).rss);
  }, 200);
  const result = await autocannon({ url, connections: 20, duration: seconds });
  clearInterval(timer);
  return { rss: max, rps: result.requests.average, errors: result.errors + result.non2xx };
};

const settle = () => new Promise((r) => setTimeout(r, 1_000));

const cleanEnv = (): NodeJS.ProcessEnv => {
  // Port 0 for the local AWS endpoint too, so the bench never collides with a running npm start.
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'WARN', LOCAL_AWS_PORT: '0' };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.DATABASE_URL;
  return env;
};

const BARE_HTTP = `import http from 'node:http'; import pg from 'pg';
const pool = new pg.Pool({ connectionString: process.env.BENCH_URL, max: 10 });
const server = http.createServer(async (_req, res) => {
  const { rows } = await pool.query('SELECT id, name, email, created_at, updated_at FROM users WHERE id > 0 ORDER BY id LIMIT 101');
  res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ items: rows.slice(0, 100) }));
});
server.listen(0, '127.0.0.1', () => console.log('ready http://127.0.0.1:' + server.address().port));`;

const BARE_PGLITE = `import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create(process.env.BENCH_DIR); await db.query('SELECT 1'); console.log('ready');`;

const startupBench = async (url: string, blocks = Number(process.env.BENCH_BLOCKS ?? 3)): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'ingesta-bench-start-'));
  const seed = new pg.Client({ connectionString: url });
  await seed.connect();
  const fig = {
    pgIdle: [] as number[],
    pgLoad: [] as number[],
    bareLoad: [] as number[],
    bareIdle: [] as number[],
    firstMs: [] as number[],
    firstPeak: [] as number[],
    firstRss: [] as number[],
    restartMs: [] as number[],
    restartRss: [] as number[],
    anchorFirstMs: [] as number[],
    anchorFirstPeak: [] as number[],
    anchorReopenMs: [] as number[],
    anchorReopenRss: [] as number[],
  };
  let errors = 0;
  try {
    // The first new data directory on a machine makes its template (initdb); every block then measures
    // the first start a developer sees from the second data directory on (openLocalDatabase.ts).
    await stop(
      await startProcess(
        'npm',
        ['start'],
        { ...cleanEnv(), PORT: '0', INGESTA_DATA_DIR: join(dir, 'template-warmup') },
        'Ctrl-C to stop.',
      ),
    );
    for (let b = 0; b < blocks; b += 1) {
      // PostgreSQL mode: npm start on the bench schema, then the bare server on the same rows.
      const ours = await startProcess(
        'npm',
        ['start'],
        { ...cleanEnv(), DATABASE_URL: url, PORT: '0' },
        'Ctrl-C to stop.',
      );
      try {
        if (b === 0) {
          await seed.query('TRUNCATE users RESTART IDENTITY');
          await seed.query(
            `INSERT INTO users (name, email, last_event_id, last_event_at)
             SELECT 'User ' || g, 'u' || g || '@bench.io', 'e' || g, now() FROM generate_series(1, 10000) g`,
          );
        }
        await settle();
        fig.pgIdle.push(treeMemory(ours.child.pid as number).rss);
        const load = await rssUnderLoad(ours.child.pid as number, `${ours.url}/users?limit=100`, 5);
        fig.pgLoad.push(load.rss);
        errors += load.errors;
      } finally {
        await stop(ours);
      }
      const bare = await startProcess(
        process.execPath,
        ['--input-type=module', '-e', BARE_HTTP],
        { ...cleanEnv(), BENCH_URL: url },
        'ready',
      );
      try {
        await settle();
        fig.bareIdle.push(treeMemory(bare.child.pid as number).rss);
        fig.bareLoad.push((await rssUnderLoad(bare.child.pid as number, bare.url, 5)).rss);
      } finally {
        await stop(bare);
      }

      // PGlite mode: a fresh data dir each block; the anchor opens its own.
      const data = join(dir, `ours-${b}`);
      const pgliteEnv = { ...cleanEnv(), PORT: '0', INGESTA_DATA_DIR: data };
      for (const phase of ['first', 'restart'] as const) {
        const started = await startProcess('npm', ['start'], pgliteEnv, 'Ctrl-C to stop.');
        try {
          await settle();
          const mem = treeMemory(started.child.pid as number);
          fig[`${phase}Ms`].push(started.ms);
          fig[`${phase}Rss`].push(mem.rss);
          if (phase === 'first') fig.firstPeak.push(started.startPeak);
        } finally {
          await stop(started);
        }
      }
      const anchorEnv = { ...cleanEnv(), BENCH_DIR: join(dir, `anchor-${b}`) };
      for (const phase of ['first', 'reopen'] as const) {
        const started = await startProcess(
          process.execPath,
          ['--input-type=module', '-e', BARE_PGLITE],
          anchorEnv,
          'ready',
        );
        try {
          const mem = treeMemory(started.child.pid as number);
          if (phase === 'first') {
            fig.anchorFirstMs.push(started.ms);
            fig.anchorFirstPeak.push(Math.max(started.startPeak, mem.peak));
          } else {
            fig.anchorReopenMs.push(started.ms);
            fig.anchorReopenRss.push(mem.rss);
          }
        } finally {
          await stop(started);
        }
      }
    }
  } finally {
    await seed.end();
    rmSync(dir, { recursive: true, force: true });
  }
  const mb = (v: number[]) => `${spread(v, 0)} MB`;
  const ms = (v: number[]) => `${spread(v, 0)} ms`;
  record({
    suite: 'npm start',
    measure: `PostgreSQL mode: RSS of the npm start tree, idle / under GET /users?limit=100 (20 connections, 5 s)${errors ? `, ${errors} errors` : ''}`,
    ours: `${mb(fig.pgIdle)} / ${mb(fig.pgLoad)}`,
    anchor: `bare node:http + pg.Pool(10): ${mb(fig.bareIdle)} / ${mb(fig.bareLoad)}`,
    ratio: `${spread(ratios(fig.pgLoad, fig.bareLoad))}× under load (goal ≤ 150 MB: ${median(fig.pgLoad) <= 150 ? 'met' : 'missed'})`,
  });
  record({
    suite: 'npm start',
    measure: 'PGlite mode: ready, first start (fresh data dir from the template) / restart, whole process',
    ours: `${ms(fig.firstMs)} / ${ms(fig.restartMs)}`,
    anchor: `bare PGlite process, first open / reopen: ${ms(fig.anchorFirstMs)} / ${ms(fig.anchorReopenMs)}`,
    ratio: `restart ${spread(ratios(fig.restartMs, fig.anchorReopenMs))}× reopen (goal ≤ 2×)`,
  });
  record({
    suite: 'npm start',
    measure:
      'PGlite mode: RSS of the tree, first start peak (sampled, children included) / after first start / after restart',
    ours: `${mb(fig.firstPeak)} / ${mb(fig.firstRss)} / ${mb(fig.restartRss)}`,
    anchor: `bare PGlite: first open peak ${mb(fig.anchorFirstPeak)}; reopen ${mb(fig.anchorReopenRss)}`,
    ratio: `restart ${spread(ratios(fig.restartRss, fig.anchorReopenRss))}× reopen (goal ≤ 400 MB: ${median(fig.restartRss) <= 400 ? 'met' : 'missed'})`,
  });
};

export { startupBench };
