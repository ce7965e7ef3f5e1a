/**
 * Bundles npm start's entry points into one ESM file each (default: dist/local/main.mjs and the PGlite
 * init script beside it), then writes the stamp start.mjs reads to skip this: every file the build read
 * (esbuild's metafile, plus what shapes the build) with its mtime and size.
 * Run by start.mjs, in a child process, only when the stamp is stale:
 *   node --import tsx local/launcher/build.ts --outdir <dir> --entry <name>=<file>…
 */
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { nodeBundleOptions } from '#scripts/esbuildShared.ts';

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
  fileURLToPath(new URL('../../scripts/esbuildShared.ts', import.meta.url)),
  join(ROOT, 'package.json'),
  join(ROOT, 'tsconfig.json'),
  // Rewritten by every npm install/ci: a dependency may have changed.
  join(ROOT, 'node_modules/.package-lock.json'),
];

const buildLocalBundle = async (outdir: string, entries: Record<string, string>): Promise<void> => {
  const started = Date.now();
  const result = await build({
    ...nodeBundleOptions,
    absWorkingDir: ROOT,
    entryPoints: entries,
    outdir,
    outExtension: { '.js': '.mjs' },
    // One file per entry, no chunks: a rebuild while a server runs cannot pull a chunk from under it.
    splitting: false,
    // Names kept (as much memory as full minification): a stack trace from npm start names our functions.
    minify: false,
    minifySyntax: true,
    minifyWhitespace: true,
    target: 'node20.11', // package.json engines
    metafile: true,
    write: false,
    // Loaded at run time from node_modules: PGlite finds its WASM beside itself; esbuild runs its binary.
    external: [...nodeBundleOptions.external, '@electric-sql/pglite', 'esbuild'],
    define: {
      __INGESTA_INIT_PGLITE_SCRIPT__: JSON.stringify(join(outdir, 'initPgliteDataDir.mjs')),
    },
    plugins: [...nodeBundleOptions.plugins, sourceImportMetaUrl, skipPgCloudflareProbe],
  });
  mkdirSync(outdir, { recursive: true });
  // Each file written whole then renamed: another npm start may be importing the previous one.
  const replace = (path: string, contents: Uint8Array | string) => {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, contents);
    renameSync(tmp, path);
  };
  for (const file of result.outputFiles) replace(file.path, file.contents);

  const files = [
    ...Object.keys(result.metafile.inputs)
      .filter((input) => !/^[\w-]+:/.test(input)) // plugin namespaces (the zod locale stub) are not files
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
