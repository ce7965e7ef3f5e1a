/**
 * Bundles each Lambda into one minified ESM file with source maps (AWS SDK included, so cold
 * starts do not walk node_modules): dist/api/index.mjs and dist/suscriptor/index.mjs.
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
    entryPoints: [fn.entry],
    outfile: `${args.outdir}/${fn.name}/index.mjs`,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    sourcemap: true,
    metafile: true,
    legalComments: 'none',
    // pg only loads pg-native when asked to; it is never installed.
    external: ['pg-native'],
    define: { __INGESTA_BUILD_VERSION__: JSON.stringify(version) },
    // Powertools and some SDK deps still call require(); give ESM bundles one.
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    logLevel: 'warning',
    plugins: [dropZodLocales],
  });
  const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
  for (const [file, output] of outputs) {
    console.log(`${file}  ${(output.bytes / 1024).toFixed(0)} KB`);
  }
}
console.log(`version ${version}`);
