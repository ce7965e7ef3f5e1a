import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type HclValue, loadModule, moduleFromSnippets, parseHcl, type TfModule } from './hcl.ts';
import { type ChildModules, childModuleDir } from './references.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const INFRA_DIR = join(REPO_ROOT, 'infraestructura');
const PIPELINE_DIR = join(INFRA_DIR, 'modules', 'pipeline');
const MULTI_SYSTEM_DIR = join(INFRA_DIR, 'examples', 'multi-system');
const CONFIG_DIRS = [INFRA_DIR, PIPELINE_DIR, MULTI_SYSTEM_DIR] as const;

function filesUnder(dir: string, accept: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : filesUnder(path, accept);
    return accept(entry.name) ? [path] : [];
  });
}

/** Every HCL file of the infrastructure: .tf, .tfvars (and examples of them) and the backend example. */
function hclFiles(): string[] {
  return filesUnder(INFRA_DIR, (name) => /\.(tf|tfvars|tfvars\.example|hcl\.example)$/.test(name)).sort();
}

function loadPipeline(): Promise<TfModule> {
  return loadModule(PIPELINE_DIR, INFRA_DIR);
}

async function loadChildren(module: TfModule): Promise<ChildModules> {
  const children = new Map<string, TfModule>();
  for (const call of module.blocks.filter((block) => block.kind === 'module')) {
    const dir = childModuleDir(module, call);
    if (dir !== undefined) children.set(call.name, await loadModule(dir, INFRA_DIR));
  }
  return children;
}

async function loadTfvars(path: string): Promise<Record<string, HclValue>> {
  return parseHcl(path, readFileSync(path, 'utf8'));
}

/** A module's files in memory with one text replaced, for mutation tests. */
async function mutatedModule(dir: string, file: string, from: string, to: string): Promise<TfModule> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).filter((entry) => entry.endsWith('.tf'))) {
    files[name] = readFileSync(join(dir, name), 'utf8');
  }
  const original = files[file];
  if (original === undefined || !original.includes(from)) throw new Error(`${file} does not contain ${from}`);
  files[file] = original.replace(from, to);
  return moduleFromSnippets(files, dir);
}

/** The pipeline module with one text replaced. */
function mutatedPipeline(file: string, from: string, to: string): Promise<TfModule> {
  return mutatedModule(PIPELINE_DIR, file, from, to);
}

export {
  CONFIG_DIRS,
  hclFiles,
  INFRA_DIR,
  loadChildren,
  loadPipeline,
  loadTfvars,
  MULTI_SYSTEM_DIR,
  mutatedModule,
  mutatedPipeline,
  PIPELINE_DIR,
  REPO_ROOT,
};
