/**
 * A per-machine template of a new PGlite data directory: the first initdb on a machine is saved, and later new
 * data directories (tests, `npm start` after deleting .data) are copied from it instead of paying initdb's
 * ~5 s and ~900 MB again. The template is only trusted whole: it is installed by one rename with a manifest
 * of every file's size and SHA-256, checked before each copy, and keyed by PGlite's version.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const MANIFEST = 'manifest.json';
/** The data files sit under this folder of the template, so the manifest is never one of them. */
const DATA = 'data';
/** Copied last: PGlite takes a directory with PG_VERSION as made, so a cut-short copy is redone next time. */
const LAST = 'PG_VERSION';

/** A path inside the data directory, as walk() writes it: relative, '/'-separated, no empty or dot segments. */
const insidePath = z
  .string()
  .refine(
    (path) => path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..'),
    {
      error: 'not a path inside the data directory',
    },
  );

const manifestSchema = z.object({
  format: z.literal(1),
  pglite: z.string(),
  pgVersion: z.string(),
  dirs: z.array(insidePath),
  files: z.array(z.object({ path: insidePath, size: z.number().int().nonnegative(), sha256: z.string() })),
});
type Manifest = z.infer<typeof manifestSchema>;

/** The installed @electric-sql/pglite: its version, and the node_modules folder it sits in. */
const installedPglite = (): { version: string; nodeModules: string } => {
  // .../node_modules/@electric-sql/pglite/dist/index.cjs
  const pkg = dirname(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')));
  const { version } = z
    .object({ version: z.string() })
    .parse(JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')));
  return { version, nodeModules: dirname(dirname(pkg)) };
};

/**
 * node_modules/.cache/ingesta/pglite-<version>, beside the PGlite that made it (and gone with it); undefined
 * when PGlite's package cannot be found from here.
 */
const defaultTemplate = (): { dir: string; pglite: string } | undefined => {
  try {
    const { version, nodeModules } = installedPglite();
    return { dir: join(nodeModules, '.cache', 'ingesta', `pglite-${version}`), pglite: version };
  } catch {
    return undefined;
  }
};

const sha256 = (path: string): string => {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
};

/** Every folder and regular file under `root`, as paths relative to it (folders before their contents). */
const walk = (root: string, rel = ''): { dirs: string[]; files: string[] } => {
  const out = { dirs: [] as string[], files: [] as string[] };
  for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
    const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      out.dirs.push(path);
      const inner = walk(root, path);
      out.dirs.push(...inner.dirs);
      out.files.push(...inner.files);
    } else if (entry.isFile()) {
      out.files.push(path);
    }
  }
  return out;
};

/** The template's manifest if it is whole and made by this PGlite; undefined otherwise. */
const readManifest = (templateDir: string, pglite: string): Manifest | undefined => {
  try {
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(templateDir, MANIFEST), 'utf8')));
    return manifest.pglite === pglite ? manifest : undefined;
  } catch {
    return undefined;
  }
};

/** Whether every file of the template still has the size and hash it was saved with. */
const intact = (templateDir: string, manifest: Manifest): boolean => {
  try {
    const pgVersion = readFileSync(join(templateDir, DATA, LAST), 'utf8').trim();
    if (pgVersion !== manifest.pgVersion) return false;
    return manifest.files.every((file) => sha256(join(templateDir, DATA, file.path)) === file.sha256);
  } catch {
    return false;
  }
};

/**
 * Copies a verified template into `dataDir` (which has no PG_VERSION yet); false, with nothing copied, when the
 * template is missing, partial, corrupt or made by another PGlite version.
 */
const copyTemplate = (templateDir: string, pglite: string, dataDir: string): boolean => {
  const manifest = readManifest(templateDir, pglite);
  if (manifest === undefined || !intact(templateDir, manifest)) return false;
  const files = [...manifest.files].sort((a, b) => Number(a.path === LAST) - Number(b.path === LAST));
  try {
    for (const dir of manifest.dirs) mkdirSync(join(dataDir, dir), { recursive: true, mode: 0o700 });
    for (const file of files) {
      const target = join(dataDir, file.path);
      if (file.path !== LAST) copyFileSync(join(templateDir, DATA, file.path), target);
      else {
        // PG_VERSION marks the directory made: it appears whole (renamed into place) or not at all.
        copyFileSync(join(templateDir, DATA, file.path), `${target}.copying`);
        renameSync(`${target}.copying`, target);
      }
    }
  } catch {
    // Replaced under us by a rebuild. PG_VERSION was not copied, so initdb runs and writes over the rest.
    return false;
  }
  return true;
};

/**
 * Saves `dataDir` (a data directory PGlite has just made and closed) as the template: written in a staging
 * folder and renamed into place, so a template is either whole or absent. A template already there is kept
 * if intact (another process made it meanwhile) and replaced if not.
 */
const saveTemplate = (dataDir: string, templateDir: string, pglite: string): void => {
  const { dirs, files } = walk(dataDir);
  if (!files.includes(LAST)) throw new Error(`${dataDir} is not a PGlite data directory (no ${LAST})`);
  mkdirSync(dirname(templateDir), { recursive: true });
  const staging = `${templateDir}.staging-${randomUUID()}`;
  try {
    for (const dir of dirs) mkdirSync(join(staging, DATA, dir), { recursive: true });
    mkdirSync(join(staging, DATA), { recursive: true });
    const entries = files.map((path) => {
      const target = join(staging, DATA, path);
      copyFileSync(join(dataDir, path), target);
      const content = readFileSync(target);
      return { path, size: content.length, sha256: createHash('sha256').update(content).digest('hex') };
    });
    const manifest: Manifest = {
      format: 1,
      pglite,
      pgVersion: readFileSync(join(dataDir, LAST), 'utf8').trim(),
      dirs,
      files: entries,
    };
    writeFileSync(join(staging, MANIFEST), `${JSON.stringify(manifest)}\n`);
    if (existsSync(templateDir)) {
      const current = readManifest(templateDir, pglite);
      if (current !== undefined && intact(templateDir, current)) return;
      // Out of the way first: rename does not replace a folder that has files.
      const stale = `${templateDir}.stale-${randomUUID()}`;
      renameSync(templateDir, stale);
      rmSync(stale, { recursive: true, force: true });
    }
    renameSync(staging, templateDir);
  } catch (error) {
    // Another process installed its own between the check and the rename: that one is as good.
    if (
      !(error instanceof Error && 'code' in error && (error.code === 'ENOTEMPTY' || error.code === 'EEXIST'))
    ) {
      throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
};

export type { Manifest };
export { copyTemplate, defaultTemplate, installedPglite, saveTemplate };
