import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';

/**
 * PGlite's start parameters for the local stack: its defaults, with shared_buffers at 16 MB instead of the
 * data directory's 128 MB. PGlite zeroes the whole buffer pool in its WASM heap at start, so every MB of it is
 * resident from the first second (~110 MB fewer at 16 MB); the local data set is small, and pages outside the
 * pool are still in the OS cache. Durability is unchanged: a commit still writes its WAL before it returns.
 */
const pgliteStartParams: readonly string[] = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * Keeps WebAssembly on V8's baseline compiler (Liftoff), for PGlite's sake: tiering Postgres up to TurboFan
 * held ~55 MB more (optimised code, compiler memory) and took the CPU while starting (open + first 300 writes
 * ~1.2 s against ~0.5 s, initdb 8.6 s against 6.4 s), and local workloads ran no faster for it. The flag is
 * process-wide, so it is set only where PGlite is about to be compiled; PostgreSQL mode never sets it.
 */
const keepWasmOnBaselineCompiler = (): void => {
  setFlagsFromString('--liftoff-only');
};

/** PGlite as the local stack runs it (in memory without `dataDir`): the flag above, then these parameters. */
const createLocalPglite = (dataDir?: string): Promise<PGlite> => {
  keepWasmOnBaselineCompiler();
  return PGlite.create(dataDir, { startParams: [...pgliteStartParams] });
};

export { createLocalPglite };
