import { join } from 'node:path';
import { traversalsIn } from './expressions.ts';
import {
  blocksOf,
  type HclObject,
  type HclValue,
  isExpression,
  isObject,
  type TfBlock,
  type TfModule,
} from './hcl.ts';

/** One reference that does not resolve, or a module call that does not match its module. */
interface ReferenceProblem {
  readonly file: string;
  readonly where: string;
  readonly reference: string;
  readonly reason: string;
}

/** A reference found in a module, with the block it sits in. */
interface FoundReference {
  readonly block: TfBlock;
  readonly segments: readonly string[];
  readonly text: string;
}

interface Scope {
  readonly symbols: ReadonlySet<string>;
  readonly each: boolean;
  readonly count: boolean;
  readonly self: boolean;
}

const MODULE_META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'depends_on', 'providers']);
/** Keys whose values are not expressions to resolve: attribute names, type constraints, provider aliases. */
const SKIPPED_KEYS = new Set(['ignore_changes', 'provider', 'providers', 'type']);

function isIndexSegment(segment: string | undefined): boolean {
  return segment !== undefined && (segment.startsWith('"') || /^\d+$/.test(segment));
}

async function walk(
  value: HclValue | undefined,
  scope: Scope,
  visit: (segments: readonly string[], text: string, scope: Scope) => void,
): Promise<void> {
  if (isExpression(value)) {
    for (const traversal of await traversalsIn(value, scope.symbols))
      visit(traversal.segments, traversal.text, scope);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) await walk(item, scope, visit);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    if (SKIPPED_KEYS.has(key)) continue;
    if (key === 'dynamic' && isObject(inner)) {
      await walkDynamic(inner, scope, visit);
      continue;
    }
    await walk(inner, scope, visit);
  }
}

/** dynamic "label" { for_each = …, iterator = name, content { … } }: the iterator exists only in content. */
async function walkDynamic(
  dynamics: HclObject,
  scope: Scope,
  visit: (segments: readonly string[], text: string, scope: Scope) => void,
): Promise<void> {
  for (const [label, bodies] of Object.entries(dynamics)) {
    for (const body of blocksOf(bodies)) {
      // `iterator = item` arrives as the expression "${item}".
      const iterator =
        typeof body.iterator === 'string' ? body.iterator.replace(/^\$\{(.*)\}$/, '$1') : label;
      await walk(body.for_each, scope, visit);
      const inner: Scope = { ...scope, symbols: new Set([...scope.symbols, iterator]) };
      await walk(body.content, inner, visit);
    }
  }
}

function scopeOf(block: TfBlock): Scope {
  const repeated = block.kind === 'resource' || block.kind === 'data' || block.kind === 'module';
  return {
    symbols: new Set(),
    each: repeated && block.body.for_each !== undefined,
    count: repeated && block.body.count !== undefined,
    self: block.kind === 'resource' || block.kind === 'data',
  };
}

/** Every reference of a module, block by block (locals appear as a pseudo block each). */
async function findReferences(module: TfModule): Promise<Array<FoundReference & { readonly scope: Scope }>> {
  const found: Array<FoundReference & { scope: Scope }> = [];
  const blocks: TfBlock[] = [
    ...module.blocks.filter((block) => block.kind !== 'terraform'),
    ...[...module.locals].map(([name, local]) => ({
      kind: 'locals' as const,
      type: 'local',
      name,
      body: { value: local.value },
      file: local.file,
    })),
  ];
  for (const block of blocks) {
    await walk(block.body, scopeOf(block), (segments, text, scope) => {
      found.push({ block, segments, text, scope });
    });
  }
  return found;
}

function declared(module: TfModule) {
  const names = (kind: TfBlock['kind']) =>
    new Set(module.blocks.filter((block) => block.kind === kind).map((block) => block.name));
  return {
    variables: names('variable'),
    modules: names('module'),
    resources: new Set(
      module.blocks
        .filter((block) => block.kind === 'resource')
        .map((block) => `${block.type}.${block.name}`),
    ),
    data: new Set(
      module.blocks.filter((block) => block.kind === 'data').map((block) => `${block.type}.${block.name}`),
    ),
    locals: new Set(module.locals.keys()),
  };
}

/** Child modules by call name, for calls whose source is a local path. */
type ChildModules = ReadonlyMap<string, TfModule>;

function localSource(block: TfBlock): string | undefined {
  const source = block.body.source;
  return typeof source === 'string' && (source.startsWith('./') || source.startsWith('../'))
    ? source
    : undefined;
}

function childModuleDir(module: TfModule, block: TfBlock): string | undefined {
  const source = localSource(block);
  return source === undefined ? undefined : join(module.dir, source);
}

function resolve(
  segments: readonly string[],
  scope: Scope,
  names: ReturnType<typeof declared>,
  children: ChildModules,
): string | undefined {
  const [root, second, third, fourth] = segments;
  if (root === undefined) return 'empty reference';
  if (scope.symbols.has(root)) return undefined;
  switch (root) {
    case 'var':
      return second !== undefined && names.variables.has(second) ? undefined : 'undeclared variable';
    case 'local':
      return second !== undefined && names.locals.has(second) ? undefined : 'undeclared local';
    case 'each':
      return scope.each ? undefined : 'each outside a for_each block';
    case 'count':
      return scope.count ? undefined : 'count outside a count block';
    case 'self':
      return scope.self ? undefined : 'self outside a resource';
    case 'path':
    case 'terraform':
      return undefined;
    case 'data':
      return names.data.has(`${second}.${third}`) ? undefined : 'undeclared data source';
    case 'module': {
      if (second === undefined || !names.modules.has(second)) return 'undeclared module';
      const child = children.get(second);
      const output = isIndexSegment(third) ? fourth : third;
      if (child === undefined || output === undefined) return undefined;
      const outputs = new Set(
        child.blocks.filter((block) => block.kind === 'output').map((block) => block.name),
      );
      return outputs.has(output) ? undefined : `module ${second} has no output ${output}`;
    }
    default:
      if (second === undefined) return 'unknown symbol';
      return names.resources.has(`${root}.${second}`) ? undefined : 'undeclared resource';
  }
}

/** Arguments of local module calls must be the child's variables, and its required variables must be set. */
function checkModuleCalls(module: TfModule, children: ChildModules): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  for (const call of module.blocks.filter((block) => block.kind === 'module')) {
    const child = children.get(call.name);
    if (child === undefined) continue;
    const variables = child.blocks.filter((block) => block.kind === 'variable');
    const known = new Set(variables.map((variable) => variable.name));
    for (const argument of Object.keys(call.body)) {
      if (MODULE_META_ARGUMENTS.has(argument) || known.has(argument)) continue;
      problems.push({
        file: call.file,
        where: `module.${call.name}`,
        reference: argument,
        reason: 'argument is not a variable of the module',
      });
    }
    for (const variable of variables) {
      if (!('default' in variable.body) && !(variable.name in call.body)) {
        problems.push({
          file: call.file,
          where: `module.${call.name}`,
          reference: variable.name,
          reason: 'required variable not set',
        });
      }
    }
  }
  return problems;
}

/**
 * Checks that every var, local, resource, data source, module (and local module output) referenced in a
 * module is declared, honouring for-expression symbols, dynamic iterators, each, count, self and path.
 */
async function checkReferences(
  module: TfModule,
  children: ChildModules = new Map(),
): Promise<ReferenceProblem[]> {
  const names = declared(module);
  const problems: ReferenceProblem[] = [];
  for (const reference of await findReferences(module)) {
    const reason = resolve(reference.segments, reference.scope, names, children);
    if (reason !== undefined) {
      problems.push({
        file: reference.block.file,
        where: `${reference.block.kind} ${reference.block.type}.${reference.block.name}`,
        reference: reference.text,
        reason,
      });
    }
  }
  return [...problems, ...checkModuleCalls(module, children)];
}

/** Variables declared but never read outside their own validation blocks. */
async function unusedVariables(module: TfModule): Promise<string[]> {
  const used = new Set<string>();
  for (const reference of await findReferences(module)) {
    const [root, name] = reference.segments;
    if (root !== 'var' || name === undefined) continue;
    const ownValidation = reference.block.kind === 'variable' && reference.block.name === name;
    if (!ownValidation) used.add(name);
  }
  return module.blocks
    .filter((block) => block.kind === 'variable' && !used.has(block.name))
    .map((block) => block.name);
}

/** Variables whose validation reads another variable: Terraform before 1.9 rejects that. */
async function crossVariableValidations(module: TfModule): Promise<string[]> {
  const offenders: string[] = [];
  for (const reference of await findReferences(module)) {
    const [root, name] = reference.segments;
    if (reference.block.kind !== 'variable' || (root === 'var' && name === reference.block.name)) continue;
    offenders.push(`${reference.block.name} -> ${reference.text}`);
  }
  return offenders;
}

export type { ChildModules, FoundReference, ReferenceProblem };
export { checkReferences, childModuleDir, crossVariableValidations, findReferences, unusedVariables };
