import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { InstanceLockedError } from './localErrors.ts';

/** Held for the life of one `npm start`; a crash releases it too (see each kind). */
interface InstanceLock {
  release(): Promise<void>;
}

const LOCK_FILE = 'ingesta.lock';

const HolderSchema = z.object({ pid: z.number().int().positive(), startedAt: z.string().nullable() });
type Holder = z.output<typeof HolderSchema>;

/** Linux: a process's state and start time (clock ticks since boot) from /proc; null elsewhere. */
const processStat = (pid: number): { state: string; startedAt: string } | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields 3 and 22; the command name before them (in parentheses) may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', startedAt: fields[19] ?? '' };
  } catch {
    return null;
  }
};

const isAlive = ({ pid, startedAt }: Holder): boolean => {
  // A pid cannot hold a lock its own process has not taken yet: the file is from an earlier life.
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = processStat(pid);
  if (stat === null) return true;
  // A killed process not yet reaped (a zombie) holds nothing; a different start time is a reused pid.
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return startedAt === null || stat.startedAt === startedAt;
};

const readHolder = (path: string): Holder | null => {
  try {
    const parsed = HolderSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
};

/**
 * PGlite mode: the data folder is the database, and two processes on it would each see only their
 * own writes. A lock file names the owner's pid; one whose process is gone (a crash, `kill -9`) is
 * stale and taken over, so a crash never leaves the folder locked.
 */
const lockDataDir = (dir: string): InstanceLock => {
  const folder = resolve(dir);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, LOCK_FILE);
  // Written whole to a private name, then linked: the lock appears complete or not at all.
  const draft = `${path}.${process.pid}`;
  writeFileSync(
    draft,
    JSON.stringify({ pid: process.pid, startedAt: processStat(process.pid)?.startedAt ?? null }),
  );
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        linkSync(draft, path);
        return {
          release: async () => {
            if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readHolder(path);
      if (holder !== null && isAlive(holder)) {
        throw new InstanceLockedError(
          `Data folder ${folder}`,
          holder.pid,
          'set INGESTA_DATA_DIR to another folder',
        );
      }
      rmSync(path, { force: true });
    }
    throw new InstanceLockedError(`Data folder ${folder}`, null, 'set INGESTA_DATA_DIR to another folder');
  } finally {
    rmSync(draft, { force: true });
  }
};

/** Any fixed number; with the schema name it keys the session advisory lock. */
const SCHEMA_LOCK_CLASS = 7_142_316;
const APPLICATION_NAME = 'ingesta-local pid ';

const redact = (url: string): string =>
  url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@').split('?')[0] ?? url;

/**
 * PostgreSQL mode: the queue lives in the current schema, so one pipeline per schema. A session
 * advisory lock on a connection of its own; the server drops it with the connection when the
 * process dies. The connection's application_name carries the pid for the refusal message.
 */
const lockSchema = async (databaseUrl: string): Promise<InstanceLock> => {
  const client = new pg.Client({
    connectionString: databaseUrl,
    application_name: `${APPLICATION_NAME}${process.pid}`,
    connectionTimeoutMillis: 5_000,
  });
  // Losing the connection loses the lock; say so rather than crash.
  client.on('error', (error) =>
    console.warn('local pipeline: the schema lock connection failed:', error.message),
  );
  await client.connect();
  try {
    const { rows } = await client.query<{ schema: string; locked: boolean }>(
      'SELECT current_schema() AS schema, pg_try_advisory_lock($1, hashtext(current_schema())) AS locked',
      [SCHEMA_LOCK_CLASS],
    );
    const { schema = 'public', locked = false } = rows[0] ?? {};
    if (!locked) {
      const holder = await client.query<{ application_name: string }>(
        `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1
           AND l.objid = hashtext(current_schema())::oid AND l.objsubid = 2
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [SCHEMA_LOCK_CLASS],
      );
      const name = holder.rows[0]?.application_name ?? '';
      const pid = name.startsWith(APPLICATION_NAME) ? Number(name.slice(APPLICATION_NAME.length)) : null;
      throw new InstanceLockedError(
        `Schema ${schema} of ${redact(databaseUrl)}`,
        pid,
        'set DATABASE_URL to another database or schema',
      );
    }
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return { release: () => client.end() };
};

export type { InstanceLock };
export { lockDataDir, lockSchema };
