/**
 * The esbuild options every Lambda bundle is built with: ours (scripts/build.ts) and the cold-start
 * anchors (bench/coldStart.ts), so "bundled like ours" holds by construction.
 */
import { sep } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';

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

/** Bundles `entry` to `<outdir>/index.mjs`, beside the chunks it loads through `import()`. */
const lambdaBuildOptions = (
  entry: string,
  outdir: string,
  define: Record<string, string> = {},
): BuildOptions & { metafile: true } => ({
  entryPoints: { index: entry },
  outdir,
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
  define,
  // Powertools and some SDK deps still call require(); give every ESM file one.
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [dropZodLocales],
});

export { lambdaBuildOptions };
