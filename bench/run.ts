/**
 * `npm run bench`: speed and memory figures, each beside an anchor measured in the same run.
 * Needs PostgreSQL (BENCH_DATABASE_URL, else DATABASE_URL, else the local test server); uses a
 * private schema it drops afterwards. BENCH_ROWS (default 1,000,000) sizes the paging table.
 * `npm run bench -- cold subscriber` runs only the suites named (see SUITES below).
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
import { subscriberBench } from './subscriber.ts';

const run = promisify(execFile);
const baseUrl =
  process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);

let built: Promise<unknown> | undefined;
/** Builds the bundles once per run, for the suites that measure what ships. */
const buildBundles = async (dist: string): Promise<void> => {
  built ??= run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--outdir', dist]);
  await built;
};

/** Each suite by name, in the order a full run takes them. */
const SUITES: Record<string, (ctx: { url: string; dist: string }) => Promise<void>> = {
  cold: async ({ url, dist }) => {
    await buildBundles(dist);
    await coldStart(dist, url, Number(process.env.BENCH_COLD_RUNS ?? 7));
  },
  startup: ({ url }) => startupBench(url),
  store: ({ url }) => storeBench(url, rows),
  subscriber: async ({ url, dist }) => {
    await buildBundles(dist);
    await subscriberBench(url, dist);
  },
  http: ({ url }) => httpBench(url, 100_000, 5),
  conditional: ({ url }) => conditionalBench(url, 100_000, 5),
  idempotency: ({ url }) => idempotencyBench(url, 5),
  console: async () => {
    await consoleBench();
  },
  fleet: async () => {
    await fleetBench();
  },
};

const selected = process.argv.slice(2);
const unknown = selected.filter((name) => !(name in SUITES));
if (unknown.length > 0) {
  console.error(`Unknown suite(s): ${unknown.join(', ')}. Known: ${Object.keys(SUITES).join(', ')}.`);
  process.exit(2);
}

const dist = mkdtempSync(join(tmpdir(), 'ingesta-bench-dist-'));
const schema = await createSchema(baseUrl);
try {
  for (const [name, suite] of Object.entries(SUITES)) {
    if (selected.length > 0 && !selected.includes(name)) continue;
    console.log(`${name}…`);
    await suite({ url: schema.url, dist });
  }
} finally {
  await schema.drop();
  rmSync(dist, { recursive: true, force: true });
}
printTable();
