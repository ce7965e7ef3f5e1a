import { TFExpressionSyntaxTree } from '@cdktf/hcl2json';
import { templateAst } from './expressions.ts';
import { type HclValue, isExpression, isObject, type TfModule } from './hcl.ts';

type Ast = TFExpressionSyntaxTree.ExpressionType;

/**
 * Where the elements of a value come from: a resource, a data source, a module input, a literal,
 * or something the resolver does not follow (a module output, an unknown function, arithmetic).
 */
type Source =
  | { readonly kind: 'resource'; readonly type: string; readonly name: string }
  | { readonly kind: 'data'; readonly type: string; readonly name: string }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'unresolved'; readonly text: string };

/** Functions whose result holds only elements of their arguments. */
const PASS_THROUGH = new Set([
  'coalesce',
  'coalescelist',
  'compact',
  'concat',
  'distinct',
  'flatten',
  'reverse',
  'setunion',
  'sort',
  'tolist',
  'toset',
  'try',
]);
/** Functions whose result holds only elements of their first argument. */
const FIRST_ARGUMENT = new Set(['element', 'one', 'slice']);
/** Roots that name no declared object of the module. */
const UNRESOLVED_ROOTS = new Set(['module', 'each', 'count', 'self', 'path', 'terraform']);

function describe(source: Source): string {
  switch (source.kind) {
    case 'resource':
      return `${source.type}.${source.name}`;
    case 'data':
      return `data.${source.type}.${source.name}`;
    case 'variable':
      return `var.${source.name}`;
    default:
      return source.text;
  }
}

/** The interpolation a "${…}" string holds, or the whole template when it mixes text and interpolations. */
function interpolationOf(template: Ast): Ast | undefined {
  // A heredoc body ends with a newline literal.
  const parts = template.children.filter(
    (child) => !(TFExpressionSyntaxTree.isLiteralValueExpression(child) && child.meta.value === '\n'),
  );
  return parts.length === 1 ? parts[0] : undefined;
}

/**
 * Every source the elements of a value can come from, following locals (transitively), both branches of
 * conditionals, splats, indexes, for expressions and list functions. The condition of a conditional and
 * the index of an index expression choose among elements, so they are not sources.
 */
async function sourcesOf(module: TfModule, value: HclValue | undefined): Promise<Source[]> {
  const out = new Map<string, Source>();
  const seenLocals = new Set<string>();
  const add = (source: Source): void => {
    out.set(`${source.kind}:${describe(source)}`, source);
  };

  const visitValue = async (inner: HclValue | undefined): Promise<void> => {
    if (inner === undefined || inner === null) return;
    if (Array.isArray(inner)) {
      for (const item of inner) await visitValue(item);
    } else if (isObject(inner)) {
      for (const item of Object.values(inner)) await visitValue(item);
    } else if (isExpression(inner)) {
      const ast = await templateAst(inner);
      const only = ast ? interpolationOf(ast) : undefined;
      if (only) await visitNode(only, new Set());
      else add({ kind: 'unresolved', text: inner });
    } else {
      add({ kind: 'literal', text: String(inner) });
    }
  };

  const visitTraversal = async (segments: readonly string[], text: string, symbols: ReadonlySet<string>) => {
    const [root, second, third] = segments;
    if (root === undefined || symbols.has(root)) return;
    if (root === 'local' && second !== undefined) {
      if (seenLocals.has(second)) return;
      seenLocals.add(second);
      const local = module.locals.get(second);
      if (local === undefined) add({ kind: 'unresolved', text });
      else await visitValue(local.value);
    } else if (root === 'var' && second !== undefined) {
      add({ kind: 'variable', name: second });
    } else if (root === 'data' && second !== undefined && third !== undefined) {
      add({ kind: 'data', type: second, name: third });
    } else if (second !== undefined && !UNRESOLVED_ROOTS.has(root)) {
      add({ kind: 'resource', type: root, name: second });
    } else {
      add({ kind: 'unresolved', text });
    }
  };

  const visitNode = async (node: Ast, symbols: ReadonlySet<string>): Promise<void> => {
    const children = node.children ?? [];
    if (TFExpressionSyntaxTree.isScopeTraversalExpression(node)) {
      const segments = node.meta.traversal.map((part) => part.segment);
      await visitTraversal(segments, node.meta.fullAccessor, symbols);
    } else if (TFExpressionSyntaxTree.isLiteralValueExpression(node)) {
      if (node.meta.value !== 'null') add({ kind: 'literal', text: node.meta.value });
    } else if (TFExpressionSyntaxTree.isConditionalExpression(node)) {
      for (const branch of children.slice(1)) await visitNode(branch, symbols);
    } else if (
      TFExpressionSyntaxTree.isSplatExpression(node) ||
      TFExpressionSyntaxTree.isIndexExpression(node) ||
      TFExpressionSyntaxTree.isRelativeTraversalExpression(node)
    ) {
      // The first child is the collection or object; the rest selects from it.
      const [source] = children;
      if (source) await visitNode(source, symbols);
    } else if (TFExpressionSyntaxTree.isForExpression(node)) {
      const [collection, ...body] = children;
      if (collection) await visitNode(collection, symbols);
      const inner = new Set(symbols);
      for (const symbol of [node.meta.keyVar, node.meta.valVar]) if (symbol) inner.add(symbol);
      for (const child of body) await visitNode(child, inner);
    } else if (TFExpressionSyntaxTree.isFunctionCallExpression(node)) {
      const name = node.meta.name;
      const args = PASS_THROUGH.has(name) ? children : FIRST_ARGUMENT.has(name) ? children.slice(0, 1) : [];
      if (args.length === 0) add({ kind: 'unresolved', text: node.meta.value });
      for (const arg of args) await visitNode(arg, symbols);
    } else if (
      TFExpressionSyntaxTree.isTupleExpression(node) ||
      node.type === 'templateWrap' ||
      (String(node.type) === '' && children.length === 1)
    ) {
      for (const child of children) await visitNode(child, symbols);
    } else if (TFExpressionSyntaxTree.isTemplateExpression(node) && children.length === 1 && children[0]) {
      await visitNode(children[0], symbols);
    } else {
      add({ kind: 'unresolved', text: 'value' in node.meta ? String(node.meta.value) : node.type });
    }
  };

  await visitValue(value);
  return [...out.values()];
}

export type { Source };
export { describe as describeSource, sourcesOf };
