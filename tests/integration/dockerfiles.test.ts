import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { lambdaBuildOptions } from '#scripts/lambdaBuildOptions.ts';

// No Docker engine here: the images are built in CI (ci.yml). These checks keep the files honest.

/** `${name}` as a Dockerfile spells it, without a template placeholder in a TypeScript string. */
const arg = (name: string): string => ['$', '{', name, '}'].join('');
const BASE = arg('BASE_IMAGE');
describe.each([
  ['app-api/Dockerfile', 'api'],
  ['app-suscriptor/Dockerfile', 'suscriptor'],
])('%s', (path, bundle) => {
  const lines = readFileSync(path, 'utf8').split('\n');
  const froms = lines.filter((l) => l.startsWith('FROM '));
  const baseArgs = lines.filter((l) => l.startsWith('ARG BASE_IMAGE='));

  it('names the official AWS Lambda Node.js base image, version 22 or newer, once, as ARG BASE_IMAGE', () => {
    expect(baseArgs).toHaveLength(1);
    const version = /^ARG BASE_IMAGE=public\.ecr\.aws\/lambda\/nodejs:(\d+)$/.exec(baseArgs[0] ?? '')?.[1];
    expect(Number(version), baseArgs[0]).toBeGreaterThanOrEqual(22);
    // Before any FROM, so every stage can use it.
    expect(lines.indexOf(baseArgs[0] ?? '')).toBeLessThan(lines.indexOf(froms[0] ?? ''));
  });

  it('builds every stage on that one base, which CI and deploys pass pinned by digest', () => {
    expect(froms).toEqual([`FROM ${BASE} AS build`, `FROM ${BASE}`]);
    for (const workflow of ['.github/workflows/ci.yml', '.github/workflows/deploy-function.yml']) {
      const text = readFileSync(workflow, 'utf8');
      expect(text, workflow).toContain('.github/scripts/resolve-base-image.sh "app-$FUNCTION/Dockerfile"');
      expect(text, workflow).toContain('--build-arg "BASE_IMAGE=$BASE_IMAGE"');
    }
  });

  it('labels the image with its base and its commit', () => {
    const labels = lines.slice(lines.indexOf(`FROM ${BASE}`)).join('\n');
    expect(labels).toContain(`org.opencontainers.image.base.name="${BASE}"`);
    expect(labels).toContain(`org.opencontainers.image.revision="${arg('GIT_SHA')}"`);
  });

  it(`copies only the ${bundle} bundle into the task root and sets the handler`, () => {
    expect(lines).toContain(`COPY --from=build /build/dist/${bundle}/ \${LAMBDA_TASK_ROOT}/`);
    expect(lines).toContain('CMD ["index.handler"]');
    expect(lines.filter((l) => l.startsWith('COPY --from=build'))).toHaveLength(1);
  });

  it(`writes a CycloneDX SBOM of the production dependencies beside the ${bundle} bundle`, () => {
    const text = lines.join('\n');
    expect(text).toMatch(
      new RegExp(
        `npm sbom --sbom-format cyclonedx --sbom-type application --omit dev --package-lock-only \\\\\\n\\s+> dist/${bundle}/sbom\\.cdx\\.json`,
      ),
    );
  });

  it('runs the same build script as npm run build', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBe('tsx scripts/build.ts');
    expect(lines.some((l) => l.includes('npx tsx scripts/build.ts'))).toBe(true);
  });

  it('copies the build script and every local module it imports into the build stage', () => {
    const build = readFileSync('scripts/build.ts', 'utf8');
    const local = [...build.matchAll(/from '\.\/([^']+)'/g)].map((m) => `scripts/${m[1]}`);
    const copied = lines
      .filter((l) => l.startsWith('COPY scripts/'))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(copied).toEqual(expect.arrayContaining(['scripts/build.ts', ...local]));
  });

  it('copies every file of the repository that either bundle is built from into the build stage', async () => {
    // Both bundles: scripts/build.ts builds the two functions in either image.
    const inputs = new Set<string>();
    for (const entry of ['app-api/src/handler.ts', 'app-suscriptor/src/handler.ts']) {
      const { metafile } = await build({
        ...lambdaBuildOptions(entry, join(tmpdir(), 'ingesta-dockerfile-inputs')),
        write: false,
      });
      // Files only: the build's own stubs (namespace:path) are not read from the repository.
      for (const input of Object.keys(metafile.inputs))
        if (!input.startsWith('node_modules/') && !/^[\w-]+:/.test(input)) inputs.add(input);
    }
    const sources = lines
      .filter((l) => l.startsWith('COPY ') && !l.startsWith('COPY --from'))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    const uncopied = [...inputs].filter(
      (input) =>
        !sources.some((source) => input === source || input.startsWith(`${source.replace(/\/$/, '')}/`)),
    );
    expect(inputs.size).toBeGreaterThan(50);
    expect(uncopied).toEqual([]);
    // Nor may .dockerignore keep one out of the build context (the last matching line wins; ! lets back in).
    const ignore = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    const matches = (pattern: string, path: string) =>
      pattern.startsWith('**/*')
        ? path.endsWith(pattern.slice(4))
        : path === pattern || path.startsWith(`${pattern.replace(/\/$/, '')}/`);
    const ignored = [...inputs].filter((input) =>
      ignore.reduce(
        (out, line) =>
          line.startsWith('!') ? (matches(line.slice(1), input) ? false : out) : matches(line, input) || out,
        false,
      ),
    );
    expect(ignored).toEqual([]);
  });
});
