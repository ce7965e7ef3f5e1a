/**
 * `npm start` readiness: first start (fresh data dir: PGlite initdb + migrations) and restart,
 * with resident memory, against opening a bare PGlite data dir in the same run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { record } from './report.ts';
import { fmt } from './stats.ts';

const rssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? Number.NaN) / 1024;
};

/** Wall time from spawn until the ready banner, and RSS then. */
const startOnce = (dataDir: string): Promise<{ ms: number; rss: number }> =>
  new Promise((resolve, reject) => {
    const start = performance.now();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      LOCAL_AWS_PORT: '0',
      INGESTA_DATA_DIR: dataDir,
      LOG_LEVEL: 'WARN',
    };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/src/main.ts'], { env, stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ctrl-C to stop.')) {
        const ms = performance.now() - start;
        const rss = child.pid === undefined ? Number.NaN : rssMb(child.pid);
        child.once('exit', () => resolve({ ms, rss }));
        child.kill('SIGINT');
      }
    });
    child.once('exit', (code) => {
      if (!out.includes('Ctrl-C')) reject(new Error(`npm start exited with ${code}: ${out}`));
    });
  });

const pgliteOpen = async (dir: string): Promise<number> => {
  const start = performance.now();
  const db = await PGlite.create(dir);
  await db.query('SELECT 1');
  const ms = performance.now() - start;
  await db.close();
  return ms;
};

const startupBench = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'ingesta-bench-start-'));
  try {
    const anchorFirst = await pgliteOpen(join(dir, 'anchor'));
    const anchorReopen = await pgliteOpen(join(dir, 'anchor'));
    const first = await startOnce(join(dir, 'ours'));
    const restart = await startOnce(join(dir, 'ours'));
    record({
      suite: 'npm start',
      measure: 'ready: first start (fresh .data) / restart',
      ours: `${fmt(first.ms, 0)} / ${fmt(restart.ms, 0)} ms`,
      anchor: `PGlite open in-process: ${fmt(anchorFirst, 0)} / ${fmt(anchorReopen, 0)} ms`,
      ratio: `${fmt(first.ms / anchorFirst)}× / ${fmt(restart.ms / anchorReopen)}×`,
    });
    record({
      suite: 'npm start',
      measure: 'resident memory when ready: first / restart',
      ours: `${fmt(first.rss, 0)} / ${fmt(restart.rss, 0)} MB`,
      anchor: 'PGlite anchors: 870 / 320 MB',
      ratio: `${fmt(first.rss / 870)}× / ${fmt(restart.rss / 320)}×`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export { startupBench };
