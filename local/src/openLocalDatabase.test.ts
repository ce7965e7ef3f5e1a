import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '#shared/store/migrations/index.ts';
import { openLocalDatabase } from './openLocalDatabase.ts';
import { copyTemplate, installedPglite } from './pgliteTemplate.ts';

const root = mkdtempSync(join(tmpdir(), 'ingesta-open-local-'));
const template = join(root, 'template');
const { version } = installedPglite();
const newDataDir = () => mkdtempSync(join(root, 'data-'));

/** The child npm start runs for a data directory no template provides (here under tsx, as npm start is). */
const initdbChild = async (dataDir: string): Promise<void> => {
  const script = fileURLToPath(new URL('./initPgliteDataDir.ts', import.meta.url));
  await promisify(execFile)(process.execPath, ['--import', 'tsx', script, dataDir, template, version]);
};

const bufferPool = async (db: { query: (text: string) => Promise<{ rows: unknown[] }> }) =>
  ((await db.query('SHOW shared_buffers')).rows[0] as { shared_buffers: string }).shared_buffers;

beforeAll(async () => {
  await initdbChild(newDataDir());
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('openLocalDatabase with PGlite', () => {
  it('runs PGlite with a 16 MB buffer pool, in memory', async () => {
    const { db } = await openLocalDatabase({});
    try {
      expect(await bufferPool(db)).toBe('16MB');
    } finally {
      await db.close();
    }
  });

  it('copies a new data directory from the template, which then holds the migrations and keeps writes', async () => {
    const dataDir = newDataDir();
    const first = await openLocalDatabase({ dataDir, pgliteTemplateDir: template });
    try {
      expect(first.migrations.applied).toEqual(migrations.map((m) => m.id));
      expect(await bufferPool(first.db)).toBe('16MB');
      await first.db.query(
        `INSERT INTO users (name, email, last_event_id, last_event_at) VALUES ('Ada', 'ada@example.com', 'e1', now())`,
      );
    } finally {
      await first.db.close();
    }
    const again = await openLocalDatabase({ dataDir, pgliteTemplateDir: template });
    try {
      expect(again.migrations.applied).toEqual([]);
      const { rows } = await again.db.query<{ email: string }>('SELECT email FROM users');
      expect(rows).toEqual([{ email: 'ada@example.com' }]);
    } finally {
      await again.db.close();
    }
  });

  it('has the first new data directory save the template, and a corrupt template made again', async () => {
    const file = join(template, 'data', 'global', 'pg_control');
    const intact = readFileSync(file);
    writeFileSync(file, Buffer.alloc(intact.length));
    expect(copyTemplate(template, version, newDataDir())).toBe(false);
    await initdbChild(newDataDir());
    expect(readFileSync(file)).not.toEqual(Buffer.alloc(intact.length));
    expect(copyTemplate(template, version, newDataDir())).toBe(true);
  }, 120_000);
});
