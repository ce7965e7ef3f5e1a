/**
 * Creates a PGlite data directory (initdb) in a process of its own, for `npm start`'s first start.
 * initdb grows PGlite's WASM memory to ~800 MB, which a process never gives back; run here, npm start then
 * opens the new directory as on any restart (~300 MB). Usage: node --import tsx initPgliteDataDir.ts <dir>
 */
import { PGlite } from '@electric-sql/pglite';
import { pgliteStartParams } from './pgliteSettings.ts';

const dir = process.argv[2];
if (dir === undefined || dir === '') {
  console.error('usage: initPgliteDataDir.ts <data dir>');
  process.exit(2);
}
const db = await PGlite.create(dir, { startParams: [...pgliteStartParams] });
await db.close();
