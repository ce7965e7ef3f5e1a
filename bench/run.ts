/**
 * `npm run bench`: speed and memory figures, each beside an anchor measured in the same run.
 * Needs PostgreSQL (BENCH_DATABASE_URL, else DATABASE_URL, else the local test server); uses a
 * private schema it drops afterwards. BENCH_ROWS (default 1,000,000) sizes the paging table.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createSchema } from '#tests/support/testDatabase.ts';
import { coldStart } from './coldStart.ts';
import { conditionalBench } from './conditional.ts';
import { consoleBench } from './console.ts';
import { fleetBench } from './fleet.ts';
import { httpBench } from './http.ts';
import { idempotencyBench } from './idempotency.ts';
import { printTable } from './report.ts';
import { startupBench } from './startup.ts';
import { storeBench } from './store.ts';

const run = promisify(execFile);
const baseUrl =
  process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);

const dist = mkdtempSync(join(tmpdir(), 'ingesta-bench-dist-'));
const schema = await createSchema(baseUrl);
try {
  console.log('building bundles…');
  await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--outdir', dist]);
  console.log('cold start…');
  await coldStart(dist, 20);
  console.log('npm start…');
  await startupBench();
  console.log('store…');
  await storeBench(schema.url, rows);
  console.log('http…');
  await httpBench(schema.url, 100_000, 10);
  console.log('conditional GET…');
  await conditionalBench(schema.url, 100_000, 5);
  console.log('idempotency…');
  await idempotencyBench(schema.url, 5);
  console.log('console (chromium)…');
  await consoleBench();
  console.log('fleet (prometheus, loopback)…');
  await fleetBench();
} finally {
  await schema.drop();
  rmSync(dist, { recursive: true, force: true });
}
printTable();
