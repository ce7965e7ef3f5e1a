import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', '.data', '.terraform', 'coverage']);

/** Every markdown file of the repository, as paths relative to its root. */
const markdownFiles = (dir = ROOT): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : markdownFiles(join(dir, entry.name));
    return entry.name.endsWith('.md') ? [relative(ROOT, join(dir, entry.name))] : [];
  });

/**
 * The paths a document points at: link targets, and every token naming a markdown file or climbing with `../`.
 * URLs and in-page anchors are not paths.
 */
const pathsIn = (text: string): string[] => {
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
  const tokens = [
    ...text.matchAll(/(?:^|[\s`("'])((?:\.\.\/|~\/|\/)?[\w.~-]+(?:\/[\w.-]+)*\.md|\.\.\/[\w./-]+)/g),
  ].map((match) => match[1] ?? '');
  return [...new Set([...links, ...tokens])]
    .filter((path) => path !== '' && !/^[a-z]+:/i.test(path) && !path.startsWith('#'))
    .map((path) => path.replace(/#.*$/, ''));
};

/** Why `path`, written in `file`, does not point at a file of this repository; undefined when it does. */
const problemWith = (file: string, path: string): string | undefined => {
  if (path.startsWith('~') || isAbsolute(path)) return 'an absolute path outside the repository';
  const candidates = [resolve(ROOT, dirname(file), path), resolve(ROOT, path)];
  const inside = candidates.filter((candidate) => !relative(ROOT, candidate).startsWith('..'));
  if (inside.length === 0) return 'outside the repository';
  return inside.some((candidate) => existsSync(candidate)) ? undefined : 'no such file in the repository';
};

const problemsIn = (file: string, text: string): string[] =>
  pathsIn(text).flatMap((path) => {
    const problem = problemWith(file, path);
    return problem === undefined ? [] : [`${file}: ${path} (${problem})`];
  });

describe('the documentation', () => {
  it('points only at files inside the repository', () => {
    const files = markdownFiles();
    expect(files).toContain('README.md');

    expect(files.flatMap((file) => problemsIn(file, readFileSync(join(ROOT, file), 'utf8')))).toEqual([]);
  });

  it('would flag an absolute path, a path climbing out of the repository and a missing file, but not URLs', () => {
    const text = [
      'See `/work/shared/anchors.md` for the figure.',
      'Reference sizes from `../shared/anchors.md`.',
      'As [the style guide](../../style.md) says.',
      'Tests live in [tests](tests/README.md) and in `tests/README.md`; see [RFC](https://example.com/x.md).',
    ].join('\n');

    expect(problemsIn('bench/README.md', text)).toEqual([
      'bench/README.md: ../../style.md (outside the repository)',
      'bench/README.md: /work/shared/anchors.md (an absolute path outside the repository)',
      'bench/README.md: ../shared/anchors.md (no such file in the repository)',
    ]);
  });
});
