import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { describeWith, requirement } from '#tests/support/requirement.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const git = (args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });

/** `git check-ignore` answers from .gitignore; a tarball without .git cannot. */
const gitCheckout = requirement(
  git(['rev-parse', '--is-inside-work-tree']).stdout?.trim() === 'true'
    ? undefined
    : 'git: run from a git checkout of the repository',
);

/** Whether .gitignore keeps `path` out of commits (whether or not the file exists). */
const ignored = (path: string): boolean => {
  const result = git(['check-ignore', '--quiet', '--no-index', path]);
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`git check-ignore failed: ${result.stderr}`);
  return result.status === 0;
};

describeWith(gitCheckout, 'the Terraform backend configuration', () => {
  it('backend.hcl is git-ignored, as backend.hcl.example tells whoever copies it', () => {
    const example = readFileSync(join(ROOT, 'infraestructura', 'backend.hcl.example'), 'utf8');
    expect(example).toMatch(/Copy to backend\.hcl \(git-ignored\)/);

    expect(ignored('infraestructura/backend.hcl')).toBe(true);
  });

  it('backend.hcl.example itself is not ignored', () => {
    expect(ignored('infraestructura/backend.hcl.example')).toBe(false);
  });
});
