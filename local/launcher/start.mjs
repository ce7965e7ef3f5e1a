/**
 * `npm start`: runs local/src/main.ts from an esbuild bundle (dist/local/main.mjs), in this very process,
 * so no TypeScript loader sits in memory and a restart does not compile anything. The bundle is rebuilt
 * (build.ts, in a child process that exits with it) only when a file it was built from changed since the
 * stamp that build wrote. Plain JavaScript: it runs before anything can compile TypeScript.
 * Options, for tests: --outdir <dir> and --entry <name>=<file> (repeatable; the first one runs).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const { values } = parseArgs({
  options: {
    outdir: { type: 'string', default: join(ROOT, 'dist/local') },
    entry: {
      type: 'string',
      multiple: true,
      default: ['main=local/src/main.ts', 'initPgliteDataDir=local/src/initPgliteDataDir.ts'],
    },
  },
});
const outdir = resolve(ROOT, values.outdir);
/** @type {Record<string, string>} */
const entries = Object.fromEntries(
  values.entry.map((spec) => {
    const at = spec.indexOf('=');
    return [spec.slice(0, at), resolve(ROOT, spec.slice(at + 1))];
  }),
);

/** Why the bundle must be rebuilt, or undefined when it is up to date. */
const staleBecause = () => {
  /** @type {{ entries: Record<string, string>, inputs: [string, number, number][] }} */
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(outdir, 'stamp.json'), 'utf8'));
  } catch {
    return 'no bundle yet';
  }
  if (JSON.stringify(stamp.entries) !== JSON.stringify(entries) || !Array.isArray(stamp.inputs))
    return 'built for other entry points';
  for (const name of Object.keys(entries))
    if (!existsSync(join(outdir, `${name}.mjs`))) return `${name}.mjs is missing`;
  for (const [file, mtimeMs, size] of stamp.inputs) {
    try {
      const now = statSync(file);
      if (now.mtimeMs !== mtimeMs || now.size !== size) return `${relative(ROOT, file)} changed`;
    } catch {
      return `${relative(ROOT, file)} is gone`;
    }
  }
  return undefined;
};

/** Runs build.ts under tsx; Ctrl-C or a SIGTERM meanwhile stops it too, and this process after it. */
const rebuild = (reason) =>
  new Promise((done, fail) => {
    const started = performance.now();
    const shown = relative(ROOT, outdir);
    console.error(`Bundling npm start into ${shown.startsWith('..') ? outdir : shown} (${reason})…`);
    const args = [
      '--import',
      import.meta.resolve('tsx'),
      fileURLToPath(new URL('build.ts', import.meta.url)),
      '--outdir',
      outdir,
      ...Object.entries(entries).flatMap(([name, file]) => ['--entry', `${name}=${file}`]),
    ];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    /** @type {NodeJS.Signals | undefined} */
    let stopped;
    const forward = (signal) => {
      stopped = signal;
      child.kill(signal);
    };
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, forward);
    child.once('error', fail);
    child.once('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      if (stopped !== undefined) process.exit(128 + constants.signals[stopped]);
      if (code !== 0) fail(new Error(`bundling npm start failed (${signal ?? `exit code ${code}`})`));
      else {
        console.error(`Bundled in ${Math.round(performance.now() - started)} ms.`);
        done(undefined);
      }
    });
  });

/** npm, which main.mjs watches: if it goes while we build, do not start a server nobody can stop. */
const launcher = process.ppid;
const reason = staleBecause();
if (reason !== undefined) {
  try {
    await rebuild(reason);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  if (process.ppid !== launcher) process.exit(1);
}
await import(pathToFileURL(join(outdir, `${Object.keys(entries)[0]}.mjs`)).href);
