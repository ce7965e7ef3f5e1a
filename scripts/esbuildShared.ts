/**
 * esbuild settings shared by the Lambda bundles (scripts/build.ts) and npm start's bundle
 * (local/launcher/build.ts): Node ESM bundles of the same TypeScript and the same dependencies.
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

/** A minified ESM bundle for Node, dependencies included. */
const nodeBundleOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  // ESM builds first: with splitting, a CommonJS package reached through import() would lose its named
  // exports (only `default` survives esbuild's interop), and the AWS SDK's ESM builds tree-shake better.
  mainFields: ['module', 'main'],
  minify: true,
  legalComments: 'none',
  // pg only loads pg-native when asked to; it is never installed.
  external: ['pg-native'],
  // Powertools and some SDK deps still call require(); give every ESM file one.
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [dropZodLocales],
} satisfies BuildOptions;

export { dropZodLocales, nodeBundleOptions };
