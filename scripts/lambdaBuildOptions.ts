/**
 * The esbuild options every Lambda bundle is built with: ours (scripts/build.ts) and the cold-start
 * anchors (bench/coldStart.ts), so "bundled like ours" holds by construction.
 */
import { sep } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';

/**
 * zod re-exports, from its one namespace, modules we never call and esbuild cannot drop from it: every
 * locale (`z.locales`, ~300 KB minified; English is imported directly by zod's schemas and stays), the
 * schema compiler (`z.compile`, ~29 KB) and `z.fromJSONSchema` (~12 KB). Every byte a cold start loads is
 * compiled and, under --enable-source-maps, has its map parsed. The stubs throw if ever called.
 */
const ZOD_STUBS: Record<string, string> = {
  '../locales/index.js': 'export {};',
  './compile.js': `const stubbed = () => { throw new Error('z.compile is not in the Lambda bundles (scripts/lambdaBuildOptions.ts)'); };
    export const INVALID = Symbol.for('zod.compile.invalid');
    export class ZodCompileAsyncError extends Error {}
    export class ZodCompileUnsupportedError extends Error {}
    export const compile = stubbed, withParser = stubbed, compileFn = stubbed;`,
  './from-json-schema.js': `export const fromJSONSchema = () => { throw new Error('z.fromJSONSchema is not in the Lambda bundles (scripts/lambdaBuildOptions.ts)'); };`,
};

const dropUnusedZod: Plugin = {
  name: 'drop-unused-zod',
  setup(b) {
    b.onResolve({ filter: /^(\.\.\/locales\/index|\.\/compile|\.\/from-json-schema)\.js$/ }, (args) =>
      args.importer.includes(`${sep}zod${sep}v4${sep}`)
        ? { path: args.path, namespace: 'ingesta-zod-stub' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'ingesta-zod-stub' }, (args) => ({
      contents: ZOD_STUBS[args.path] ?? 'export {};',
      loader: 'js',
    }));
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
  plugins: [dropUnusedZod],
});

export { lambdaBuildOptions };
