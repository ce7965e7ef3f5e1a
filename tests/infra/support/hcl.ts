import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { z } from 'zod';

/** A value as @cdktf/hcl2json renders HCL: expressions stay strings like "${var.x}". */
type HclValue = string | number | boolean | null | HclValue[] | HclObject;
interface HclObject {
  [key: string]: HclValue;
}

const hclValueSchema: z.ZodType<HclValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(hclValueSchema),
    z.record(z.string(), hclValueSchema),
  ]),
);
const hclObjectSchema = z.record(z.string(), hclValueSchema);

interface TfFile {
  readonly path: string;
  readonly text: string;
  readonly body: HclObject;
}

/** A labelled block of a module, with the file it came from. */
interface TfBlock {
  readonly kind:
    | 'resource'
    | 'data'
    | 'module'
    | 'variable'
    | 'output'
    | 'locals'
    | 'terraform'
    | 'provider'
    | 'check';
  readonly type: string;
  readonly name: string;
  readonly body: HclObject;
  readonly file: string;
}

interface TfModule {
  readonly dir: string;
  readonly files: readonly TfFile[];
  readonly blocks: readonly TfBlock[];
  readonly locals: ReadonlyMap<string, { readonly value: HclValue; readonly file: string }>;
}

function isObject(value: HclValue | undefined): value is HclObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Nested blocks come as arrays of objects; a single object is accepted too. */
function blocksOf(value: HclValue | undefined): HclObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

function isExpression(value: HclValue | undefined): value is string {
  return typeof value === 'string' && (value.includes('${') || value.includes('%{'));
}

async function parseHcl(path: string, text: string): Promise<HclObject> {
  const raw: unknown = await parse(path, text);
  return hclObjectSchema.parse(raw);
}

function labelled(
  kind: TfBlock['kind'],
  section: HclValue | undefined,
  file: string,
  typed: boolean,
): TfBlock[] {
  if (!isObject(section)) return [];
  const out: TfBlock[] = [];
  for (const [first, inner] of Object.entries(section)) {
    if (typed) {
      if (!isObject(inner)) continue;
      for (const [name, bodies] of Object.entries(inner)) {
        for (const body of blocksOf(bodies)) out.push({ kind, type: first, name, body, file });
      }
    } else {
      for (const body of blocksOf(inner)) out.push({ kind, type: kind, name: first, body, file });
    }
  }
  return out;
}

function moduleFromFiles(dir: string, files: readonly TfFile[]): TfModule {
  const blocks: TfBlock[] = [];
  const locals = new Map<string, { value: HclValue; file: string }>();
  for (const file of files) {
    const { body, path } = file;
    blocks.push(...labelled('resource', body.resource, path, true));
    blocks.push(...labelled('data', body.data, path, true));
    blocks.push(...labelled('module', body.module, path, false));
    blocks.push(...labelled('variable', body.variable, path, false));
    blocks.push(...labelled('output', body.output, path, false));
    blocks.push(...labelled('provider', body.provider, path, false));
    blocks.push(...labelled('check', body.check, path, false));
    for (const terraform of blocksOf(body.terraform)) {
      blocks.push({ kind: 'terraform', type: 'terraform', name: 'terraform', body: terraform, file: path });
    }
    for (const localsBlock of blocksOf(body.locals)) {
      for (const [name, value] of Object.entries(localsBlock)) locals.set(name, { value, file: path });
    }
  }
  return { dir, files, blocks, locals };
}

/** Parses every `.tf` file of one directory (not its subdirectories), as Terraform loads a module. */
async function loadModule(dir: string, root = dir): Promise<TfModule> {
  const names = readdirSync(dir)
    .filter((name) => name.endsWith('.tf'))
    .sort();
  const files: TfFile[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const text = readFileSync(path, 'utf8');
    files.push({ path: relative(root, path) || name, text, body: await parseHcl(path, text) });
  }
  return moduleFromFiles(dir, files);
}

/** Builds a module from in-memory files, for the bad snippets that prove each check can fail. */
async function moduleFromSnippets(
  snippets: Readonly<Record<string, string>>,
  dir = 'snippet',
): Promise<TfModule> {
  const files: TfFile[] = [];
  for (const [path, text] of Object.entries(snippets)) {
    files.push({ path, text, body: await parseHcl(path, text) });
  }
  return moduleFromFiles(dir, files);
}

function resources(module: TfModule, type?: string): TfBlock[] {
  return module.blocks.filter(
    (block) => block.kind === 'resource' && (type === undefined || block.type === type),
  );
}

function dataSources(module: TfModule, type?: string): TfBlock[] {
  return module.blocks.filter(
    (block) => block.kind === 'data' && (type === undefined || block.type === type),
  );
}

function blocksOfKind(module: TfModule, kind: TfBlock['kind']): TfBlock[] {
  return module.blocks.filter((block) => block.kind === kind);
}

export type { HclObject, HclValue, TfBlock, TfFile, TfModule };
export {
  blocksOf,
  blocksOfKind,
  dataSources,
  isExpression,
  isObject,
  loadModule,
  moduleFromFiles,
  moduleFromSnippets,
  parseHcl,
  resources,
};
