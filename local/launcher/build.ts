/**
 * Bundles npm start's entry points into ESM (default: dist/local/main.mjs and the PGlite init script beside
 * it, with the chunks only some paths import()), then writes the stamp start.mjs reads to skip this: every
 * file the build read (esbuild's metafile, plus what shapes the build) with its mtime and size.
 * Run by start.mjs, in a child process, only when the stamp is stale:
 *   node --import tsx local/launcher/build.ts --outdir <dir> --entry <name>=<file>…
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { lambdaBuildOptions } from '#scripts/lambdaBuildOptions.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What start.mjs compares: [absolute path, mtimeMs, size] per input. */
interface Stamp {
  entries: Record<string, string>;
  inputs: [string, number, number][];
}

/**
 * Our sources find files beside them through import.meta.url (the console page, the SLO rules); in a
 * bundle that would be the bundle's URL, so each file gets its own source URL instead.
 */
const sourceImportMetaUrl: Plugin = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = await readFile(args.path, 'utf8');
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: 'ts',
      };
    });
  },
};

/**
 * pg asks whether it runs on Cloudflare by building a `new Response()`; on Node 20, which has no
 * `navigator` to answer first, that loads undici: ~12 MB and ~25 ms at every start, for nothing here.
 */
const skipPgCloudflareProbe: Plugin = {
  name: 'skip-pg-cloudflare-probe',
  setup(b) {
    b.onLoad({ filter: /[\\/]pg[\\/]lib[\\/]stream\.js$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replace("typeof Response === 'function'", 'false'),
      loader: 'js',
    }));
  },
};

/** Files that change the bundle without being one of its inputs. */
const buildInputs = (): string[] => [
  fileURLToPath(import.meta.url),
  fileURLToPath(new URL('../../scripts/lambdaBuildOptions.ts', import.meta.url)),
  join(ROOT, 'package.json'),
  join(ROOT, 'tsconfig.json'),
  // Rewritten by every npm install/ci: a dependency may have changed.
  join(ROOT, 'node_modules/.package-lock.json'),
];

const buildLocalBundle = async (outdir: string, entries: Record<string, string>): Promise<void> => {
  const started = Date.now();
  // Bundled as the Lambdas are (ESM-first, zod's unused modules dropped, a require() for CommonJS deps),
  // but for this machine's Node, one file per entry, and no source maps to parse at every start.
  const lambda = lambdaBuildOptions('', outdir);
  const result = await build({
    ...lambda,
    absWorkingDir: ROOT,
    entryPoints: entries,
    // What only some paths import() (PGlite's settings, the console's YAML parser) stays out of the entry.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    // Names kept (as much memory as full minification): a stack trace from npm start names our functions.
    minify: false,
    minifySyntax: true,
    minifyWhitespace: true,
    sourcemap: false,
    target: 'node20.11', // package.json engines
    write: false,
    // Loaded at run time from node_modules: PGlite finds its WASM beside itself; esbuild runs its binary;
    // yaml is CommonJS only, and through import() in a split bundle it would keep only its default export.
    external: [...(lambda.external ?? []), '@electric-sql/pglite', 'esbuild', 'yaml'],
    // The Lambdas' banner, its import renamed: with names kept, a source's own createRequire would clash.
    banner: {
      js: "import { createRequire as __ingestaCreateRequire } from 'node:module'; const require = __ingestaCreateRequire(import.meta.url);",
    },
    define: {
      __INGESTA_INIT_PGLITE_SCRIPT__: JSON.stringify(join(outdir, 'initPgliteDataDir.mjs')),
    },
    plugins: [...(lambda.plugins ?? []), sourceImportMetaUrl, skipPgCloudflareProbe],
  });
  mkdirSync(outdir, { recursive: true });
  // Each file written whole then renamed, chunks before the entries that import them: another npm start may
  // be importing the previous build meanwhile.
  const replace = (path: string, contents: Uint8Array | string) => {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, contents);
    renameSync(tmp, path);
  };
  const isEntry = (path: string) => Object.keys(entries).some((name) => path === join(outdir, `${name}.mjs`));
  const written = result.outputFiles.sort((a, b) => Number(isEntry(a.path)) - Number(isEntry(b.path)));
  for (const file of written) replace(file.path, file.contents);
  // A running server may still import() a chunk of the build it started from: old chunks go after a day.
  const current = new Set(written.map((file) => file.path));
  for (const name of readdirSync(outdir)) {
    const path = join(outdir, name);
    if (name.startsWith('chunk-') && !current.has(path) && statSync(path).mtimeMs < Date.now() - 86_400_000)
      rmSync(path, { force: true });
  }

  const files = [
    ...Object.keys(result.metafile.inputs)
      .filter((input) => !/^[\w-]+:/.test(input)) // plugin namespaces (zod's stubs) are not files
      .map((input) => resolve(ROOT, input)),
    ...buildInputs(),
  ];
  const inputs: Stamp['inputs'] = files.flatMap((file) => {
    try {
      const { mtimeMs, size } = statSync(file);
      // Changed while esbuild read it: the bundle may hold the old text, so the next start rebuilds.
      return [[file, mtimeMs >= started ? 0 : mtimeMs, size]];
    } catch {
      return [];
    }
  });
  const stamp: Stamp = { entries, inputs };
  replace(join(outdir, 'stamp.json'), JSON.stringify(stamp));
};

const { values } = parseArgs({
  options: {
    outdir: { type: 'string' },
    entry: { type: 'string', multiple: true },
  },
});
if (values.outdir === undefined || values.entry === undefined) {
  console.error('usage: build.ts --outdir <dir> --entry <name>=<file>…');
  process.exit(2);
}
const entries = Object.fromEntries(
  values.entry.map((spec) => {
    const at = spec.indexOf('=');
    return [spec.slice(0, at), resolve(spec.slice(at + 1))];
  }),
);
await buildLocalBundle(resolve(values.outdir), entries);
