import { PGlite } from '@electric-sql/pglite';

/**
 * PGlite's start parameters for the local stack: its defaults, with shared_buffers at 16 MB instead of the
 * data directory's 128 MB. PGlite zeroes the whole buffer pool in its WASM heap at start, so every MB of it is
 * resident from the first second (~110 MB fewer at 16 MB); the local data set is small, and pages outside the
 * pool are still in the OS cache. Durability is unchanged: a commit still writes its WAL before it returns.
 */
const pgliteStartParams: readonly string[] = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

export { pgliteStartParams };
