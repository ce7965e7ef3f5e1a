import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// No Docker engine here: the images are built in CI (ci.yml). These checks keep the files honest.
describe.each([
  ['app-api/Dockerfile', 'api'],
  ['app-suscriptor/Dockerfile', 'suscriptor'],
])('%s', (path, bundle) => {
  const lines = readFileSync(path, 'utf8').split('\n');
  const froms = lines.filter((l) => l.startsWith('FROM '));

  it('builds on the official AWS Lambda Node.js base image, version 22 or newer', () => {
    expect(froms.length).toBeGreaterThanOrEqual(1);
    for (const from of froms) {
      const version = /^FROM public\.ecr\.aws\/lambda\/nodejs:(\d+)/.exec(from)?.[1];
      expect(Number(version), from).toBeGreaterThanOrEqual(22);
    }
  });

  it(`copies only the ${bundle} bundle into the task root and sets the handler`, () => {
    expect(lines).toContain(`COPY --from=build /build/dist/${bundle}/ \${LAMBDA_TASK_ROOT}/`);
    expect(lines).toContain('CMD ["index.handler"]');
    expect(lines.filter((l) => l.startsWith('COPY --from=build'))).toHaveLength(1);
  });

  it('runs the same build script as npm run build', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBe('tsx scripts/build.ts');
    expect(lines.some((l) => l.includes('npx tsx scripts/build.ts'))).toBe(true);
  });
});
