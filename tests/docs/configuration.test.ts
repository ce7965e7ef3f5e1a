import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** Where the code that runs (Lambdas and `npm start`) reads its environment. */
const SOURCE_DIRS = ['app-api/src', 'app-suscriptor/src', 'shared/src', 'local/src'];

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });

/**
 * Variables the code reads: `process.env.X` anywhere, and the keys of the env schemas in `*Config.ts`.
 * AWS_* are set by the Lambda runtime, not by whoever configures Ingesta.
 */
const variablesRead = (): string[] => {
  const names = SOURCE_DIRS.flatMap(sourceFiles).flatMap((file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const direct = [
      ...text.matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g),
    ].map((match) => match[1] ?? match[2] ?? '');
    const schemaKeys = file.endsWith('Config.ts')
      ? [...text.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1] ?? '')
      : [];
    return [...direct, ...schemaKeys];
  });
  return [...new Set(names)].filter((name) => !name.startsWith('AWS_')).sort();
};

/** Names in backticks in the first column of the README's "## Configuration" table. */
const documentedVariables = (readme: string): string[] => {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Configuration')) ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) =>
      [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1] ?? ''),
    );
};

describe("README's configuration table", () => {
  it('documents every environment variable the code reads', () => {
    const read = variablesRead();
    expect(read).toEqual(expect.arrayContaining(['DATABASE_URL', 'PORT', 'TOPIC_ARN']));

    const documented = new Set(documentedVariables(readFileSync(join(ROOT, 'README.md'), 'utf8')));
    expect(read.filter((name) => !documented.has(name))).toEqual([]);
  });
});
