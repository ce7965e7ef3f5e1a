import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIOME = join(ROOT, 'node_modules/.bin/biome');

const ReportSchema = z.object({
  diagnostics: z.array(z.object({ category: z.string().optional(), message: z.string() })),
});

/** Lints a probe file placed in `folder` with `importLine`, and returns the layering messages. */
const layeringViolations = (folder: string, importLine: string): string[] => {
  const file = join(folder, `layering-probe-${randomBytes(4).toString('hex')}.ts`);
  writeFileSync(join(ROOT, file), `${importLine}\n\nexport { probe };\n`);
  try {
    let out: string;
    try {
      out = execFileSync(BIOME, ['lint', '--reporter=json', file], { cwd: ROOT, encoding: 'utf8' });
    } catch (error) {
      // Biome exits non-zero when it reports an error; the report is still on stdout.
      out = String((error as { stdout?: unknown }).stdout ?? '');
    }
    const { diagnostics } = ReportSchema.parse(JSON.parse(out));
    return diagnostics.filter((d) => d.category === 'lint/style/noRestrictedImports').map((d) => d.message);
  } finally {
    rmSync(join(ROOT, file), { force: true });
  }
};

describe('the layering lint (npm run lint)', () => {
  it.each([
    ['shared/src/domain', "import { Pool as probe } from 'pg';", /domain imports only the domain/],
    [
      'shared/src/domain',
      "import { SqlUserStore as probe } from '../store/sqlUserStore.ts';",
      /domain imports only/,
    ],
    [
      'shared/src/domain',
      "import { problemResponse as probe } from '#api/http/problems.ts';",
      /domain imports only/,
    ],
    [
      'shared/src/store',
      "import { LocalQueue as probe } from '#local/localQueue.ts';",
      /shared\/ never imports/,
    ],
    [
      'shared/src/store',
      "import { createApiApp as probe } from '../../../app-api/src/apiApp.ts';",
      /shared\/ never/,
    ],
    [
      'app-api/src',
      "import { createLocalPipeline as probe } from '#local/createLocalPipeline.ts';",
      /An app never/,
    ],
    [
      'app-api/src',
      "import { classifyEvent as probe } from '#subscriber/events/classifyEvent.ts';",
      /An app never/,
    ],
    ['app-suscriptor/src', "import { createApiApp as probe } from '#api/apiApp.ts';", /An app never/],
  ])('refuses, in %s, %s', (folder, importLine, message) => {
    const violations = layeringViolations(folder, importLine);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(message);
  });

  it.each([
    ['shared/src/domain', "import { z as probe } from 'zod';"],
    ['shared/src/domain', "import { z as probe } from 'zod/mini';"],
    ['shared/src/domain', "import { randomUUID as probe } from 'node:crypto';"],
    ['shared/src/domain', "import { parseNewUser as probe } from './user.ts';"],
    ['shared/src/store', "import { parseNewUser as probe } from '../domain/user.ts';"],
    ['app-api/src', "import { SqlUserStore as probe } from '#shared/store/sqlUserStore.ts';"],
    ['app-suscriptor/src', "import { SqlUserStore as probe } from '#shared/store/sqlUserStore.ts';"],
  ])('allows, in %s, %s', (folder, importLine) => {
    expect(layeringViolations(folder, importLine)).toEqual([]);
  });
});
