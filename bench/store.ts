/**
 * Store figures on real PostgreSQL, each beside its anchor measured in the same run:
 * keyset page vs OFFSET page deep in a large table; batched upserts vs one row per statement.
 */
import pg from 'pg';
import type { UserEvent } from '#shared/domain/userEvent.ts';
import { migrate } from '#shared/store/migrate.ts';
import { migrations } from '#shared/store/migrations/index.ts';
import { PgExecutor } from '#shared/store/pg/pgExecutor.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { record } from './report.ts';
import { fmt, percentile, timeRuns } from './stats.ts';

const events = (prefix: string, n: number): UserEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    eventId: `${prefix}-${i}`,
    occurredAt: '2026-01-01T00:00:00.000Z',
    user: { name: `User ${i}`, email: `${prefix}-${i}@bench.io` },
  }));

const storeBench = async (url: string, rows: number): Promise<void> => {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const db = new PgExecutor(pool);
  await migrate(db, migrations);
  const store = new SqlUserStore(db);

  // Keyset vs OFFSET on `rows` users.
  await db.exec('TRUNCATE users RESTART IDENTITY');
  await db.query(
    `INSERT INTO users (name, email, last_event_id, last_event_at)
     SELECT 'User ' || g, 'u' || g || '@bench.io', 'e' || g, now() FROM generate_series(1, $1::int) g`,
    [rows],
  );
  await db.exec('ANALYZE users');
  const deep = String(Math.floor(rows * 0.9));
  await timeRuns(20, () => store.listUsers({ afterId: deep, limit: 100 }));
  const keyset = await timeRuns(300, () => store.listUsers({ afterId: deep, limit: 100 }));
  const offset = await timeRuns(40, () =>
    db.query('SELECT id, name, email, created_at, updated_at FROM users ORDER BY id OFFSET $1 LIMIT 100', [
      deep,
    ]),
  );
  record({
    suite: 'store (PostgreSQL)',
    measure: `page of 100 at 90% of ${rows.toLocaleString('en')} rows, p50 / p99`,
    ours: `keyset ${fmt(percentile(keyset, 50))} / ${fmt(percentile(keyset, 99))} ms`,
    anchor: `OFFSET ${fmt(percentile(offset, 50))} / ${fmt(percentile(offset, 99))} ms`,
    ratio: `OFFSET is ${fmt(percentile(offset, 50) / percentile(keyset, 50), 0)}× slower (p50)`,
  });

  // Upserts: one statement per batch vs the anchor's one row per statement.
  await db.exec('TRUNCATE users RESTART IDENTITY');
  const singleRows = 5_000;
  const client = await pool.connect();
  const single = events('single', singleRows);
  const t0 = performance.now();
  for (const e of single) {
    await client.query(
      'INSERT INTO users (name, email, last_event_id, last_event_at) VALUES ($1, $2, $3, $4)',
      [e.user.name, e.user.email, e.eventId, e.occurredAt],
    );
  }
  const singleRate = singleRows / ((performance.now() - t0) / 1000);
  client.release();
  for (const size of [10, 100, 1000]) {
    const total = size === 10 ? 20_000 : 50_000;
    const all = events(`batch${size}`, total);
    const start = performance.now();
    for (let i = 0; i < total; i += size) await store.upsertUsers(all.slice(i, i + size));
    const rate = total / ((performance.now() - start) / 1000);
    record({
      suite: 'store (PostgreSQL)',
      measure: `upsert ${size} rows per statement (${total.toLocaleString('en')} rows)`,
      ours: `${fmt(rate / 1000, 1)}k rows/s`,
      anchor: `1 row/statement ${fmt(singleRate / 1000, 1)}k rows/s`,
      ratio: `${fmt(rate / singleRate, 1)}×`,
    });
  }
  await pool.end();
};

export { storeBench };
