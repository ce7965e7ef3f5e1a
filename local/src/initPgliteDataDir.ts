/**
 * Creates a PGlite data directory (initdb) in a process of its own, for `npm start`'s first start.
 * initdb grows PGlite's WASM memory to ~800 MB, which a process never gives back; run here, npm start then
 * opens the new directory as on any restart. Given a template folder, the new directory is saved there too,
 * so that later new directories on this machine are copied instead (pgliteTemplate.ts).
 * Usage: node --import tsx initPgliteDataDir.ts <data dir> [<template dir> <pglite version>]
 */
import { createLocalPglite } from './pgliteSettings.ts';
import { saveTemplate } from './pgliteTemplate.ts';

const [dir, templateDir, pglite] = process.argv.slice(2);
if (dir === undefined || dir === '') {
  console.error('usage: initPgliteDataDir.ts <data dir> [<template dir> <pglite version>]');
  process.exit(2);
}
const db = await createLocalPglite(dir);
await db.close();
if (templateDir !== undefined && pglite !== undefined) {
  try {
    saveTemplate(dir, templateDir, pglite);
  } catch (error) {
    // The data directory is made; only the next one will pay initdb again.
    console.warn(`PGlite template not saved in ${templateDir}: ${(error as Error).message}`);
  }
}
