import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyTemplate, saveTemplate } from './pgliteTemplate.ts';

/** When set, copying to a destination named PG_VERSION* writes nothing and dies there, as a kill -9 would. */
let killWhileCopyingPgVersion = false;
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    copyFileSync: (from: string, to: string) => {
      if (killWhileCopyingPgVersion && /PG_VERSION[^/]*$/.test(to)) {
        fs.writeFileSync(to, '');
        throw new Error('killed');
      }
      fs.copyFileSync(from, to);
    },
  };
});

const PGLITE = '0.5.17';
const dirs: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ingesta-template-'));
  dirs.push(dir);
  return dir;
};

/** A stand-in for a data directory PGlite made: files in nested folders, and an empty folder. */
const dataDir = (): string => {
  const dir = folder();
  mkdirSync(join(dir, 'base', '1'), { recursive: true });
  mkdirSync(join(dir, 'pg_tblspc'));
  writeFileSync(join(dir, 'PG_VERSION'), '18\n');
  writeFileSync(join(dir, 'base', '1', '1259'), Buffer.alloc(3 * 8192, 7));
  writeFileSync(join(dir, 'postgresql.conf'), 'shared_buffers = 128MB\n');
  return dir;
};

const saved = () => {
  const template = join(folder(), 'pglite-template');
  saveTemplate(dataDir(), template, PGLITE);
  return template;
};

afterEach(() => {
  killWhileCopyingPgVersion = false;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('PGlite data directory template', () => {
  it('copies every file and folder of the saved data directory into a new one', () => {
    const template = saved();
    const target = folder();
    expect(copyTemplate(template, PGLITE, target)).toBe(true);
    expect(readFileSync(join(target, 'PG_VERSION'), 'utf8')).toBe('18\n');
    expect(readFileSync(join(target, 'base', '1', '1259'))).toEqual(Buffer.alloc(3 * 8192, 7));
    expect(readFileSync(join(target, 'postgresql.conf'), 'utf8')).toBe('shared_buffers = 128MB\n');
    expect(existsSync(join(target, 'pg_tblspc'))).toBe(true);
  });

  it('never leaves a cut-short PG_VERSION, which would mark a half-copied directory as made', () => {
    const template = saved();
    const target = folder();
    killWhileCopyingPgVersion = true;
    expect(copyTemplate(template, PGLITE, target)).toBe(false);
    expect(existsSync(join(target, 'PG_VERSION'))).toBe(false);
  });

  it('refuses a template with a changed file, and copies nothing', () => {
    const template = saved();
    writeFileSync(join(template, 'data', 'base', '1', '1259'), Buffer.alloc(3 * 8192, 8));
    const target = folder();
    expect(copyTemplate(template, PGLITE, target)).toBe(false);
    expect(readdirSync(target)).toEqual([]);
  });

  it.each(['../outside', '/etc/escape', 'base/../../outside', ''])(
    'refuses a manifest naming %j, a path outside the data directory, and copies nothing',
    (path) => {
      const template = saved();
      const manifestPath = join(template, 'manifest.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      manifest.dirs.push(path);
      writeFileSync(manifestPath, JSON.stringify(manifest));
      const target = folder();
      expect(copyTemplate(template, PGLITE, target)).toBe(false);
      expect(readdirSync(target)).toEqual([]);
    },
  );

  it('refuses a template with a file missing', () => {
    const template = saved();
    rmSync(join(template, 'data', 'postgresql.conf'));
    expect(copyTemplate(template, PGLITE, folder())).toBe(false);
  });

  it('refuses a template cut short before its manifest was written', () => {
    const template = saved();
    rmSync(join(template, 'manifest.json'));
    expect(copyTemplate(template, PGLITE, folder())).toBe(false);
  });

  it('refuses a template made by another PGlite version', () => {
    expect(copyTemplate(saved(), '0.6.0', folder())).toBe(false);
  });

  it('refuses a missing template', () => {
    expect(copyTemplate(join(folder(), 'none'), PGLITE, folder())).toBe(false);
  });

  it('replaces a corrupt template when saving again', () => {
    const template = saved();
    writeFileSync(join(template, 'data', 'PG_VERSION'), '17\n');
    saveTemplate(dataDir(), template, PGLITE);
    const target = folder();
    expect(copyTemplate(template, PGLITE, target)).toBe(true);
    expect(readFileSync(join(target, 'PG_VERSION'), 'utf8')).toBe('18\n');
  });

  it('keeps an intact template when saving again, and leaves no staging folder behind', () => {
    const template = saved();
    const before = readFileSync(join(template, 'manifest.json'), 'utf8');
    const other = dataDir();
    writeFileSync(join(other, 'postgresql.conf'), 'changed\n');
    saveTemplate(other, template, PGLITE);
    expect(readFileSync(join(template, 'manifest.json'), 'utf8')).toBe(before);
    expect(readdirSync(join(template, '..'))).toEqual(['pglite-template']);
  });

  it('refuses to save a folder that is not a data directory', () => {
    const template = join(folder(), 'pglite-template');
    expect(() => saveTemplate(folder(), template, PGLITE)).toThrow(/PG_VERSION/);
    expect(existsSync(template)).toBe(false);
  });
});
