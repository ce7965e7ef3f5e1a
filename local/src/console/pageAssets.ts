import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadOnce } from '#shared/bootstrap/loadOnce.ts';

const PAGE_DIR = new URL('./page/', import.meta.url);

/** The page's script, bundled and minified by esbuild from page/main.ts. */
const buildPageBundle = async (): Promise<string> => {
  // Loaded only when someone opens the console: `npm start` does not pay for esbuild.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(new URL('main.ts', PAGE_DIR))],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    write: false,
    legalComments: 'none',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no bundle for the console page');
  return output.text;
};

/** The page's files, each read (or built) on first request and kept; a failure is retried next time. */
const PageAssets = {
  html: loadOnce(() => readFile(new URL('index.html', PAGE_DIR), 'utf8')),
  css: loadOnce(() => readFile(new URL('console.css', PAGE_DIR), 'utf8')),
  script: loadOnce(buildPageBundle),
};

export { buildPageBundle, PageAssets };
