import { describe, expect, it } from 'vitest';
import { openLocalDatabase } from './openLocalDatabase.ts';

const bufferPool = async (db: { query: (text: string) => Promise<{ rows: unknown[] }> }) =>
  ((await db.query('SHOW shared_buffers')).rows[0] as { shared_buffers: string }).shared_buffers;

describe('openLocalDatabase with PGlite', () => {
  it('runs PGlite with a 16 MB buffer pool, in memory', async () => {
    const { db } = await openLocalDatabase({});
    try {
      expect(await bufferPool(db)).toBe('16MB');
    } finally {
      await db.close();
    }
  });
});
