import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKFLOW_DIR } from './workflowModel.ts';

const SCRIPT = join(WORKFLOW_DIR, '..', 'scripts', 'resolve-base-image.sh');
const INDEX_DIGEST = `sha256:${'4e'.repeat(32)}`;
const root = mkdtempSync(join(tmpdir(), 'ingesta-base-image-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `docker buildx imagetools inspect` of a multi-platform image, as buildx prints it. */
const INSPECT = `Name:      public.ecr.aws/lambda/nodejs:22
MediaType: application/vnd.oci.image.index.v1+json
Digest:    ${INDEX_DIGEST}

Manifests:
  Name:        public.ecr.aws/lambda/nodejs:22@sha256:${'a1'.repeat(32)}
  MediaType:   application/vnd.oci.image.manifest.v1+json
  Platform:    linux/amd64

  Name:        public.ecr.aws/lambda/nodejs:22@sha256:${'b2'.repeat(32)}
  MediaType:   application/vnd.oci.image.manifest.v1+json
  Platform:    linux/arm64
`;

/** A stand-in `docker`: records its arguments, prints STUB_STDOUT, exits STUB_EXIT. */
writeFileSync(
  join(root, 'docker'),
  `#!/usr/bin/env bash
printf '%s ' "$@" > "$STUB_ARGS"
printf '%s' "$STUB_STDOUT"
exit "\${STUB_EXIT:-0}"
`,
);
chmodSync(join(root, 'docker'), 0o755);

let runs = 0;
const resolve = (dockerfile: string, stdout: string, exit = 0) => {
  runs += 1;
  const dir = join(root, `run-${runs}`);
  const files = {
    dockerfile: `${dir}-Dockerfile`,
    env: `${dir}-env`,
    summary: `${dir}-summary`,
    args: `${dir}-args`,
  };
  writeFileSync(files.dockerfile, dockerfile);
  writeFileSync(files.env, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.args, '');
  const run = spawnSync(SCRIPT, [files.dockerfile], {
    encoding: 'utf8',
    env: {
      PATH: `${root}:${process.env.PATH}`,
      GITHUB_ENV: files.env,
      GITHUB_STEP_SUMMARY: files.summary,
      STUB_ARGS: files.args,
      STUB_STDOUT: stdout,
      STUB_EXIT: String(exit),
    },
  });
  const read = (path: string) => readFileSync(path, 'utf8');
  return {
    ...run,
    githubEnv: read(files.env),
    summary: read(files.summary),
    dockerArgs: read(files.args).trim(),
  };
};

/** A Dockerfile as the repository writes them (`${BASE_IMAGE}` spelt without a template placeholder). */
const DOCKERFILE = `ARG BASE_IMAGE=public.ecr.aws/lambda/nodejs:22\nFROM ${['$', '{BASE_IMAGE}'].join('')} AS build\n`;

describe('resolve-base-image.sh (ci.yml images, deploy-function.yml)', () => {
  it('is executable by its path, as the workflows run it', () => {
    expect(statSync(SCRIPT).mode & 0o111).not.toBe(0);
    expect(readFileSync(SCRIPT, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env bash');
  });

  it("asks the registry for the tag the Dockerfile names and exports it pinned to the index's digest", () => {
    const run = resolve(DOCKERFILE, INSPECT);

    expect(run.status).toBe(0);
    expect(run.dockerArgs).toBe('buildx imagetools inspect public.ecr.aws/lambda/nodejs:22');
    expect(run.githubEnv).toBe(`BASE_IMAGE=public.ecr.aws/lambda/nodejs:22@${INDEX_DIGEST}\n`);
    expect(run.summary).toBe(`- Base image: \`public.ecr.aws/lambda/nodejs:22@${INDEX_DIGEST}\`\n`);
  });

  it('keeps a base the Dockerfile already pins, without asking the registry', () => {
    const pinned = `public.ecr.aws/lambda/nodejs:22@${INDEX_DIGEST}`;
    const run = resolve(`ARG BASE_IMAGE=${pinned}\n`, '');

    expect(run.githubEnv).toBe(`BASE_IMAGE=${pinned}\n`);
    expect(run.dockerArgs).toBe('');
  });

  it.each([
    [
      'the registry refuses',
      'ERROR: unauthorized',
      1,
      /::error::Cannot resolve public.ecr.aws\/lambda\/nodejs:22 in its registry: ERROR: unauthorized/,
    ],
    [
      'the answer has no digest',
      'Name: public.ecr.aws/lambda/nodejs:22\n',
      0,
      /::error::No digest for public.ecr.aws\/lambda\/nodejs:22/,
    ],
  ])('fails, exporting nothing, when %s', (_case, stdout, exit, message) => {
    const run = resolve(DOCKERFILE, stdout, exit);

    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(message);
    expect(run.githubEnv).toBe('');
  });

  it('fails on a Dockerfile that declares no BASE_IMAGE', () => {
    const run = resolve('FROM public.ecr.aws/lambda/nodejs:22\n', INSPECT);

    expect(run.status).toBe(1);
    expect(run.stdout).toContain('declares no ARG BASE_IMAGE=<image>:<tag>');
  });
});
