import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'ingesta-launcher-'));
const outdir = join(dir, 'out');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The launcher as npm start runs it, on a two-file entry point of our own. */
const launch = () =>
  run(process.execPath, ['local/launcher/start.mjs', '--outdir', outdir, '--entry', `main=${dir}/main.ts`]);

describe('the npm start launcher', () => {
  it('bundles on the first start, starts straight from the bundle while nothing changed, and rebundles when a source does', async () => {
    writeFileSync(
      join(dir, 'main.ts'),
      [
        "import { word } from './word.ts';",
        "const says: string = 'says ' + word + ' from ' + new URL(import.meta.url).pathname;",
        'console.log(says);',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'word.ts'), "export const word = 'one';\n");

    const first = await launch();
    expect(first.stderr).toContain('(no bundle yet)');
    // import.meta.url is the source file's, so files beside it are still found.
    expect(first.stdout.trim()).toBe(`says one from ${join(dir, 'main.ts')}`);
    const built = statSync(join(outdir, 'main.mjs')).mtimeMs;

    const second = await launch();
    expect(second.stderr).toBe('');
    expect(second.stdout.trim()).toBe(`says one from ${join(dir, 'main.ts')}`);
    expect(statSync(join(outdir, 'main.mjs')).mtimeMs).toBe(built);

    writeFileSync(join(dir, 'word.ts'), "export const word = 'two';\n");
    // Same size, so only the mtime tells: make sure it moved even on a coarse clock.
    utimesSync(join(dir, 'word.ts'), new Date(), new Date(Date.now() + 2_000));
    const third = await launch();
    expect(third.stderr).toMatch(/\(\S*word\.ts changed\)/);
    expect(third.stdout.trim()).toBe(`says two from ${join(dir, 'main.ts')}`);
  }, 60_000);

  it("bundles npm start's main.ts so that starting it does not load undici (pg's Cloudflare probe)", async () => {
    const loaded =
      "process.on('exit', () => console.log(process.moduleLoadList.filter((m) => m.includes('undici')).join()))";
    const started = await run(
      process.execPath,
      [
        '--import',
        `data:text/javascript,${encodeURIComponent(loaded)}`,
        'local/launcher/start.mjs',
        '--outdir',
        join(dir, 'npm-start'),
      ],
      // An invalid PORT stops main.ts once its modules are loaded, before it opens anything.
      { env: { ...process.env, PORT: 'none' } },
    ).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(started.stderr).toContain('PORT must be a whole number');
    expect(started.stdout.trim()).toBe('');
  }, 60_000);

  it('does not start when the bundle cannot be built, and says why', async () => {
    writeFileSync(join(dir, 'main.ts'), "import { gone } from './nowhere.ts';\nconsole.log(gone);\n");
    const failed = await launch().then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toBe('');
    expect(failed?.stderr).toContain('Could not resolve "./nowhere.ts"');
    expect(failed?.stderr).toContain('bundling npm start failed');
  }, 60_000);
});
