import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/localStack.ts';
import { killGroup, type NpmStart, npmStart } from '../support/npmStart.ts';
import { createSchema } from '../support/testDatabase.ts';

/** Requests in flight at every moment of the burst. */
const CONCURRENCY = 200;
/** Kill once this many have been acknowledged: with CONCURRENCY more still in flight. */
const KILL_AFTER = 300;
/** A bound the burst never reaches before the kill. */
const USERS = 5_000;

const databaseUrl = process.env.DATABASE_URL || undefined;

interface Target {
  name: string;
  /** Environment for `npm start`: a fresh data folder, and a private schema on PostgreSQL. */
  env(): Promise<Record<string, string>>;
}

const dirs: string[] = [];
const drops: (() => Promise<void>)[] = [];

const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ingesta-kill-'));
  dirs.push(dir);
  return join(dir, 'data');
};

const targets: Target[] = [
  { name: 'PGlite', env: async () => ({ INGESTA_DATA_DIR: dataDir() }) },
  ...(databaseUrl
    ? [
        {
          name: 'PostgreSQL',
          env: async () => {
            const schema = await createSchema(databaseUrl);
            drops.push(schema.drop);
            return { INGESTA_DATA_DIR: dataDir(), DATABASE_URL: schema.url };
          },
        },
      ]
    : []),
];

/** Every email the API lists, page by page. */
const storedEmails = async (url: string): Promise<Set<string>> => {
  const emails = new Set<string>();
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const page = (await (await fetch(`${url}/users?limit=500${query}`)).json()) as {
      items: { email: string }[];
      nextCursor: string | null;
    };
    for (const item of page.items) emails.add(item.email);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return emails;
};

/**
 * Keeps CONCURRENCY POSTs in flight, and kills the whole `npm start` tree with SIGKILL once KILL_AFTER
 * have been answered 202: mid-burst, with the queue holding accepted messages not yet delivered (the
 * batching-window case makes sure of it). Requests in flight may still be answered before the kill lands.
 */
const burstAndKill = async (running: NpmStart): Promise<{ acknowledged: string[]; sent: number }> => {
  const acknowledged: string[] = [];
  let sent = 0;
  let killed = false;
  const worker = async () => {
    while (!killed && sent < USERS) {
      const i = sent++;
      const email = `kill-${i}@example.com`;
      const response = await fetch(`${running.url}/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Kill ${i}`, email }),
      });
      await response.arrayBuffer();
      if (response.status !== 202) continue;
      acknowledged.push(email);
      if (acknowledged.length === KILL_AFTER) {
        killed = true;
        killGroup(running.child, 'SIGKILL');
      }
    }
  };
  // Requests cut off by the kill fail; only a 202 counts as a promise made.
  await Promise.allSettled(Array.from({ length: CONCURRENCY }, worker));
  await running.exited;
  return { acknowledged, sent };
};

/** The default settings, and a batching window that keeps a backlog in the queue when the kill lands. */
const settings = [
  { name: 'default settings', env: {} },
  { name: 'a 3 s batching window', env: { LOCAL_BATCH_SIZE: '100', LOCAL_BATCH_WINDOW_MS: '3000' } },
];

const cases = targets.flatMap((target) => settings.map((setting) => ({ target, setting })));

describe.each(cases)(
  '`kill -9` of `npm start` during a POST burst ($target.name, $setting.name)',
  ({ target, setting }) => {
    afterAll(async () => {
      for (const drop of drops.splice(0)) await drop();
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    });

    it('stores every user that was answered 202 once the pipeline is started again', async () => {
      const env = { ...(await target.env()), ...setting.env };
      const first = await npmStart(env);
      const { acknowledged, sent } = await burstAndKill(first);
      expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(sent).toBeLessThan(USERS); // the kill cut the burst short

      const second = await npmStart(env);
      try {
        await eventually(async () => {
          const { queue } = (await (await fetch(`${second.url}/_local/queues`)).json()) as {
            queue: { total: number };
          };
          return queue.total === 0 ? true : undefined;
        }, 60_000);
        const stored = await storedEmails(second.url);
        const lost = acknowledged.filter((email) => !stored.has(email));
        console.info(
          `kill -9 on ${target.name} (${setting.name}): ${sent} sent, ${acknowledged.length} acknowledged, ${acknowledged.length - lost.length} stored, ${lost.length} lost`,
        );
        expect(lost).toEqual([]);
      } finally {
        killGroup(second.child, 'SIGTERM');
        await second.exited;
      }
    }, 180_000);
  },
);
