/**
 * Bundles each Lambda into minified ESM with source maps (AWS SDK included, so cold starts do not walk
 * node_modules): dist/api/index.mjs and dist/suscriptor/index.mjs, each beside the chunks that only some
 * paths load through `import()` (the SNS client on the first POST, the IAM signer or Secrets Manager only
 * when the config names them). The image copies the whole folder.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sep } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';

const { values: args } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } });

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const gitSha = (): string => {
  if (process.env.GIT_SHA) return process.env.GIT_SHA.slice(0, 12);
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};

/**
 * zod 4 re-exports every locale (`z.locales`), ~300 KB minified that esbuild cannot drop from a
 * namespace. We never switch locale; English is imported directly by zod's schemas and stays.
 */
const dropZodLocales: Plugin = {
  name: 'drop-zod-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${sep}zod${sep}v4${sep}`)
        ? { path: 'zod-locales', namespace: 'ingesta-stub' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'ingesta-stub' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

const functions = [
  { name: 'api', entry: 'app-api/src/handler.ts' },
  { name: 'suscriptor', entry: 'app-suscriptor/src/handler.ts' },
] as const;

const version = `${pkg.version}+${gitSha()}`;

for (const fn of functions) {
  const result = await build({
    entryPoints: { index: fn.entry },
    outdir: `${args.outdir}/${fn.name}`,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunk-[hash]',
    // ESM builds first: with splitting, a CommonJS package reached through import() would lose its named
    // exports (only `default` survives esbuild's interop), and the AWS SDK's ESM builds tree-shake better.
    mainFields: ['module', 'main'],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    sourcemap: true,
    // Positions only: --enable-source-maps parses every loaded file's map at cold start, and the sources
    // inside them tripled that cost. Stack traces still name the TypeScript file and line.
    sourcesContent: false,
    metafile: true,
    legalComments: 'none',
    // pg only loads pg-native when asked to; it is never installed.
    external: ['pg-native'],
    define: { __INGESTA_BUILD_VERSION__: JSON.stringify(version) },
    // Powertools and some SDK deps still call require(); give every ESM file one.
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    logLevel: 'warning',
    plugins: [dropZodLocales],
  });
  const { outputs } = result.metafile;
  const files = Object.keys(outputs).filter((file) => file.endsWith('.mjs'));
  // What a cold start loads: the entry and the chunks it imports statically.
  const loaded = new Set<string>();
  const visit = (file: string): void => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const i of outputs[file]?.imports ?? [])
      if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  const entry = files.find((file) => file.endsWith('/index.mjs'));
  if (entry !== undefined) visit(entry);
  const kb = (list: Iterable<string>) =>
    ([...list].reduce((sum, file) => sum + (outputs[file]?.bytes ?? 0), 0) / 1024).toFixed(0);
  console.log(`${fn.name}: ${kb(loaded)} KB at cold start, ${kb(files)} KB in ${files.length} files`);
}
console.log(`version ${version}`);
