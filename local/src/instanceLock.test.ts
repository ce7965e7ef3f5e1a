import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir } from './instanceLock.ts';
import { InstanceLockedError } from './localErrors.ts';

const dirs: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ingesta-lock-'));
  dirs.push(dir);
  return dir;
};
const lockFile = (dir: string) => join(dir, 'ingesta.lock');
const writeHolder = (dir: string, holder: unknown) => writeFileSync(lockFile(dir), JSON.stringify(holder));

/** The pid of a process that has exited and been reaped. */
const deadPid = (): Promise<number> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', '']);
    child.on('exit', () => resolve(child.pid ?? 0));
  });

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('lockDataDir', () => {
  it('writes its pid to the lock file and removes it on release', async () => {
    const dir = folder();
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(lockFile(dir), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
    expect(existsSync(lockFile(dir))).toBe(false);
  });

  it('refuses a folder whose lock names a live process, naming the folder and that pid', () => {
    const dir = folder();
    writeHolder(dir, { pid: process.ppid, startedAt: null });
    const refused = (() => {
      try {
        lockDataDir(dir);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(InstanceLockedError);
    expect((refused as InstanceLockedError).pid).toBe(process.ppid);
    expect((refused as Error).message).toBe(
      `Data folder ${dir} is in use by another local pipeline (pid ${process.ppid}); stop it first, or set INGESTA_DATA_DIR to another folder.`,
    );
    expect(JSON.parse(readFileSync(lockFile(dir), 'utf8'))).toEqual({ pid: process.ppid, startedAt: null });
  });

  it('takes over a lock whose process is gone, as after a crash', async () => {
    const dir = folder();
    writeHolder(dir, { pid: await deadPid(), startedAt: null });
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(lockFile(dir), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('takes over a lock naming this very pid, left by an earlier process that had it', async () => {
    const dir = folder();
    writeHolder(dir, { pid: process.pid, startedAt: 'earlier' });
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(lockFile(dir), 'utf8')).startedAt).not.toBe('earlier');
    await lock.release();
  });

  it('takes over an unreadable lock file', async () => {
    const dir = folder();
    writeFileSync(lockFile(dir), 'not json');
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(lockFile(dir), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  // Telling a reused pid from its first owner needs the start time in /proc (Linux).
  it.skipIf(!existsSync('/proc/self/stat'))(
    'takes over a lock whose pid now belongs to another process (started at another time)',
    async () => {
      const dir = folder();
      writeHolder(dir, { pid: process.ppid, startedAt: '1' });
      const lock = lockDataDir(dir);
      expect(JSON.parse(readFileSync(lockFile(dir), 'utf8'))).toMatchObject({ pid: process.pid });
      await lock.release();
    },
  );

  it('does not remove on release a lock another process has taken over since', async () => {
    const dir = folder();
    const lock = lockDataDir(dir);
    writeHolder(dir, { pid: process.ppid, startedAt: null });
    await lock.release();
    expect(existsSync(lockFile(dir))).toBe(true);
  });
});
