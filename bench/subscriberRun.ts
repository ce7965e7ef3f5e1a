/**
 * Child of subscriber.ts: measures the subscriber as it ships (the built bundle's handler, with the pool,
 * logger and EMF metrics it makes from its environment) and the raw anchor, and sends the figures back
 * over IPC.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context, SQSEvent } from 'aws-lambda';
import pg from 'pg';
import { PgExecutor } from '#shared/store/pg/pgExecutor.ts';
import type { SubscriberHandler } from '#subscriber/createSubscriberHandler.ts';
import { snsEnvelopeBody, sqsEvent, sqsRecord, userEventBody } from '#tests/support/events.ts';
import type { Figures } from './subscriber.ts';

const [url = '', dist = ''] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 2 });
const db = new PgExecutor(pool);
process.env.DATABASE_URL = url;
const bundle = pathToFileURL(join(dist, 'suscriptor', 'index.mjs')).href;
const { handler } = (await import(bundle)) as { handler: SubscriberHandler };
const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
await handler({ action: 'migrate' }, context);

/** The anchor's statement: what SqlUserStore runs, on arrays the caller already has. */
const RAW_UPSERT = `
INSERT INTO users (name, email, last_event_id, last_event_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
ON CONFLICT (email) DO UPDATE
  SET name = EXCLUDED.name, last_event_id = EXCLUDED.last_event_id, last_event_at = EXCLUDED.last_event_at,
      updated_at = now()
  WHERE (users.last_event_at, users.last_event_id) < (EXCLUDED.last_event_at, EXCLUDED.last_event_id)`;

const measure = async (rows: number, fn: () => Promise<void>) => {
  await db.exec('TRUNCATE users RESTART IDENTITY');
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { rowsPerS: rows / seconds, cpuUsPerRow: (used.user + used.system) / rows };
};

const results: Figures[] = [];
let round = 0;
for (const [batch, rows] of [
  [10, 10_000],
  [100, 30_000],
] as const) {
  const figures: Figures = {
    batch,
    rows,
    ours: { rowsPerS: [], cpuUsPerRow: [] },
    anchor: { rowsPerS: [], cpuUsPerRow: [] },
  };
  for (let block = -1; block < 3; block += 1) {
    round += 1;
    const occurredAt = '2026-01-01T00:00:00.000000Z';
    const emails = Array.from({ length: rows }, (_, i) => `r${round}-${i}@bench.io`);
    const events: SQSEvent[] = [];
    for (let i = 0; i < rows; i += batch) {
      events.push(
        sqsEvent(
          ...emails
            .slice(i, i + batch)
            .map((email) =>
              sqsRecord(`m-${email}`, snsEnvelopeBody(userEventBody(email, { eventId: `e-${email}` }))),
            ),
        ),
      );
    }
    const arrays: string[][][] = [];
    for (let i = 0; i < rows; i += batch) {
      const slice = emails.slice(i, i + batch).sort();
      arrays.push([
        slice.map((e) => `Name of ${e}`),
        slice,
        slice.map((e) => `e-${e}`),
        slice.map(() => occurredAt),
      ]);
    }
    const anchor = await measure(rows, async () => {
      for (const params of arrays) await pool.query(RAW_UPSERT, params);
    });
    const ours = await measure(rows, async () => {
      for (const event of events) {
        const result = await handler(event, context);
        if (result === undefined || !('batchItemFailures' in result) || result.batchItemFailures.length > 0)
          throw new Error(`subscriber failed records: ${JSON.stringify(result)}`);
      }
    });
    if (block < 0) continue; // warm-up
    figures.anchor.rowsPerS.push(anchor.rowsPerS);
    figures.anchor.cpuUsPerRow.push(anchor.cpuUsPerRow);
    figures.ours.rowsPerS.push(ours.rowsPerS);
    figures.ours.cpuUsPerRow.push(ours.cpuUsPerRow);
  }
  results.push(figures);
}
await db.exec('TRUNCATE users RESTART IDENTITY');
await pool.end();
process.send?.(results, () => process.exit(0));
