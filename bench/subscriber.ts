/**
 * Subscriber throughput and CPU per record on PostgreSQL: the built subscriber bundle's handler (SQS records carrying the
 * SNS envelope → validation → one upsert per batch → EMF metrics and the batch's log line) against the raw
 * anchor, pg running the same `unnest … ON CONFLICT` statement on arrays already in hand. Both insert fresh
 * rows into an emptied table; 3 interleaved blocks per batch size. Runs in a child process whose stdout
 * (EMF and log lines, as Lambda's) goes to /dev/null; figures come back over IPC.
 */
import { fork } from 'node:child_process';
import { record } from './report.ts';
import { ratios, spread } from './stats.ts';

interface Figures {
  batch: number;
  rows: number;
  ours: { rowsPerS: number[]; cpuUsPerRow: number[] };
  anchor: { rowsPerS: number[]; cpuUsPerRow: number[] };
}

/** `dist` holds the built bundles (scripts/build.ts): the handler measured is the one that ships. */
const subscriberBench = async (url: string, dist: string): Promise<void> => {
  const child = fork(new URL('./subscriberRun.ts', import.meta.url), [url, dist], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const results: Figures[] = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as Figures[]));
    child.once('exit', (code) => reject(new Error(`subscriber bench exited with ${code}`)));
  });
  for (const f of results) {
    const k = (v: number[]) => v.map((x) => x / 1000);
    record({
      suite: 'subscriber (PostgreSQL)',
      measure: `batch ${f.batch}, ${f.rows.toLocaleString('en')} rows × 3: rows/s; CPU µs per record`,
      ours: `${spread(k(f.ours.rowsPerS), 1)}k rows/s; ${spread(f.ours.cpuUsPerRow, 1)} µs`,
      anchor: `raw unnest upsert ${spread(k(f.anchor.rowsPerS), 1)}k rows/s; ${spread(f.anchor.cpuUsPerRow, 1)} µs`,
      ratio: `${spread(ratios(f.ours.rowsPerS, f.anchor.rowsPerS))}× rows/s (goal ≥ 0.8×)`,
    });
  }
};

export type { Figures };
export { subscriberBench };
