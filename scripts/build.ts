/**
 * Bundles each Lambda into minified ESM with source maps (AWS SDK included, so cold starts do not walk
 * node_modules): dist/api/index.mjs and dist/suscriptor/index.mjs, each beside the chunks that only some
 * paths load through `import()` (the SNS client on the first POST, the IAM signer or Secrets Manager only
 * when the config names them). The image copies the whole folder.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { lambdaBuildOptions } from './lambdaBuildOptions.ts';

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

const functions = [
  { name: 'api', entry: 'app-api/src/handler.ts' },
  { name: 'suscriptor', entry: 'app-suscriptor/src/handler.ts' },
] as const;

const version = `${pkg.version}+${gitSha()}`;

for (const fn of functions) {
  const result = await build(
    lambdaBuildOptions(fn.entry, `${args.outdir}/${fn.name}`, {
      __INGESTA_BUILD_VERSION__: JSON.stringify(version),
    }),
  );
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
