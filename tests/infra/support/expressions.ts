import { getExpressionAst, TFExpressionSyntaxTree } from '@cdktf/hcl2json';
import type { HclValue } from './hcl.ts';

type Ast = TFExpressionSyntaxTree.ExpressionType;

/** A reference such as var.x or aws_sqs_queue.this.arn, split into its segments. */
interface Traversal {
  readonly segments: readonly string[];
  readonly text: string;
}

class CannotEvaluateError extends Error {
  override readonly name = 'CannotEvaluateError';
  readonly expression: string;

  constructor(expression: string, reason: string, options?: ErrorOptions) {
    super(`cannot evaluate ${expression}: ${reason}`, options);
    this.expression = expression;
  }
}

const astCache = new Map<string, Promise<Ast | null>>();

/** A heredoc takes any template text (quotes, newlines) without escaping. */
function asHeredoc(template: string): string {
  let marker = 'EXPR';
  while (template.includes(marker)) marker += '_';
  return `<<${marker}\n${template}\n${marker}\n`;
}

/** Parses a template string as hcl2json renders it ("${var.x}-suffix") into an HCL syntax tree. */
function templateAst(template: string): Promise<Ast | null> {
  let cached = astCache.get(template);
  if (cached === undefined) {
    cached = getExpressionAst('expression.tf', asHeredoc(template));
    astCache.set(template, cached);
  }
  return cached;
}

function traversalSegments(node: TFExpressionSyntaxTree.ScopeTraversalExpression): string[] {
  return node.meta.traversal.map((part) => part.segment);
}

function collectTraversals(node: Ast, scope: ReadonlySet<string>, out: Traversal[]): void {
  if (TFExpressionSyntaxTree.isScopeTraversalExpression(node)) {
    const segments = traversalSegments(node);
    const root = segments[0];
    if (root !== undefined && !scope.has(root)) out.push({ segments, text: node.meta.fullAccessor });
    return;
  }
  if (TFExpressionSyntaxTree.isForExpression(node)) {
    const [collection, ...body] = node.children;
    if (collection) collectTraversals(collection, scope, out);
    // The key and value symbols exist only inside the for body.
    const inner = new Set(scope);
    for (const symbol of [node.meta.keyVar, node.meta.valVar]) if (symbol) inner.add(symbol);
    for (const child of body) collectTraversals(child, inner, out);
    return;
  }
  for (const child of node.children ?? []) collectTraversals(child, scope, out);
}

/** Every reference in a template string, minus the symbols of its own for expressions and those in `scope`. */
async function traversalsIn(template: string, scope: ReadonlySet<string> = new Set()): Promise<Traversal[]> {
  const ast = await templateAst(template);
  const out: Traversal[] = [];
  if (ast) collectTraversals(ast, scope, out);
  return out;
}

interface EvaluationContext {
  readonly variables: Readonly<Record<string, HclValue>>;
  readonly locals: (name: string) => HclValue | undefined;
}

type Scalar = string | number | boolean | null;

function unwrap(node: Ast): Ast {
  // Parentheses and template wrappers carry a single child.
  let current = node;
  while ((current.type === 'templateWrap' || String(current.type) === '') && current.children.length === 1) {
    const [only] = current.children;
    if (!only) break;
    current = only;
  }
  return current;
}

function asNumber(value: Scalar, source: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  throw new CannotEvaluateError(source, `not a number: ${String(value)}`);
}

async function evaluateNode(node: Ast, context: EvaluationContext, source: string): Promise<Scalar> {
  const current = unwrap(node);
  if (TFExpressionSyntaxTree.isLiteralValueExpression(current)) {
    const { type, value } = current.meta;
    if (type === 'number') return Number(value);
    if (type === 'bool') return value === 'true';
    if (value === 'null') return null;
    return value;
  }
  if (
    TFExpressionSyntaxTree.isTemplateExpression(current) &&
    current.children.length === 1 &&
    current.children[0]
  ) {
    return evaluateNode(current.children[0], context, source);
  }
  if (TFExpressionSyntaxTree.isScopeTraversalExpression(current)) {
    const [root, name, ...rest] = traversalSegments(current);
    if (name === undefined || rest.length > 0)
      throw new CannotEvaluateError(source, `unsupported ${current.meta.value}`);
    const value =
      root === 'var' ? context.variables[name] : root === 'local' ? context.locals(name) : undefined;
    if (value === undefined) throw new CannotEvaluateError(source, `unknown ${current.meta.value}`);
    return evaluateValue(value, context);
  }
  if (TFExpressionSyntaxTree.isConditionalExpression(current)) {
    const [condition, whenTrue, whenFalse] = current.children;
    if (!condition || !whenTrue || !whenFalse) throw new CannotEvaluateError(source, 'malformed conditional');
    return (await evaluateNode(condition, context, source)) === true
      ? evaluateNode(whenTrue, context, source)
      : evaluateNode(whenFalse, context, source);
  }
  if (TFExpressionSyntaxTree.isUnaryOpExpression(current)) {
    const [operand] = current.children;
    if (!operand) throw new CannotEvaluateError(source, 'malformed unary operation');
    const value = await evaluateNode(operand, context, source);
    if (current.meta.operator === 'logicalNot') return value !== true;
    return -asNumber(value, source);
  }
  if (TFExpressionSyntaxTree.isBinaryOpExpression(current)) {
    const [left, right] = current.children;
    if (!left || !right) throw new CannotEvaluateError(source, 'malformed binary operation');
    const a = await evaluateNode(left, context, source);
    const b = await evaluateNode(right, context, source);
    switch (current.meta.operator) {
      case 'equal':
        return a === b;
      case 'notEqual':
        return a !== b;
      case 'logicalAnd':
        return a === true && b === true;
      case 'logicalOr':
        return a === true || b === true;
      case 'add':
        return asNumber(a, source) + asNumber(b, source);
      case 'subtract':
        return asNumber(a, source) - asNumber(b, source);
      case 'multiply':
        return asNumber(a, source) * asNumber(b, source);
      case 'divide':
        return asNumber(a, source) / asNumber(b, source);
      case 'modulo':
        return asNumber(a, source) % asNumber(b, source);
      case 'greaterThan':
        return asNumber(a, source) > asNumber(b, source);
      case 'greaterThanOrEqual':
        return asNumber(a, source) >= asNumber(b, source);
      case 'lessThan':
        return asNumber(a, source) < asNumber(b, source);
      case 'lessThanOrEqual':
        return asNumber(a, source) <= asNumber(b, source);
      default:
        throw new CannotEvaluateError(source, `operator ${current.meta.operator}`);
    }
  }
  if (TFExpressionSyntaxTree.isFunctionCallExpression(current)) {
    const args: Scalar[] = [];
    for (const child of current.children) args.push(await evaluateNode(child, context, source));
    switch (current.meta.name) {
      case 'coalesce': {
        const first = args.find((arg) => arg !== null && arg !== '');
        if (first === undefined) throw new CannotEvaluateError(source, 'coalesce of nothing');
        return first;
      }
      case 'max':
        return Math.max(...args.map((arg) => asNumber(arg, source)));
      case 'min':
        return Math.min(...args.map((arg) => asNumber(arg, source)));
      case 'floor':
        return Math.floor(asNumber(args[0] ?? null, source));
      case 'tonumber':
        return args[0] === null || args[0] === undefined ? null : asNumber(args[0], source);
      case 'tostring':
        return args[0] === null || args[0] === undefined ? null : String(args[0]);
      default:
        throw new CannotEvaluateError(source, `function ${current.meta.name}`);
    }
  }
  throw new CannotEvaluateError(source, `expression of type ${current.type}`);
}

/** Evaluates a scalar HCL value (a literal or a small arithmetic/conditional expression over var and local). */
async function evaluateValue(value: HclValue, context: EvaluationContext): Promise<Scalar> {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value !== 'string') throw new CannotEvaluateError(JSON.stringify(value), 'not a scalar');
  if (!value.includes('${')) return value;
  const ast = await templateAst(value);
  if (!ast) throw new CannotEvaluateError(value, 'empty expression');
  // A heredoc body ends with a newline literal; drop it to reach the single interpolation.
  const parts = ast.children.filter(
    (child) => !(TFExpressionSyntaxTree.isLiteralValueExpression(child) && child.meta.value === '\n'),
  );
  const [only] = parts;
  if (parts.length !== 1 || !only) throw new CannotEvaluateError(value, 'template with several parts');
  return evaluateNode(only, context, value);
}

/**
 * The references a value resolves to under one configuration: conditionals take the branch their condition
 * picks, and locals are followed, so `var.proxy ? aws_db_proxy.this[0].endpoint : local.x` gives the proxy's
 * endpoint when var.proxy is true and whatever local.x names otherwise.
 */
async function referencesUnder(value: HclValue, context: EvaluationContext): Promise<Traversal[]> {
  if (typeof value !== 'string' || !value.includes('${')) return [];
  const ast = await templateAst(value);
  if (!ast) return [];
  const out: Traversal[] = [];
  const visit = async (node: Ast): Promise<void> => {
    const current = unwrap(node);
    if (TFExpressionSyntaxTree.isConditionalExpression(current)) {
      const [condition, whenTrue, whenFalse] = current.children;
      if (!condition || !whenTrue || !whenFalse)
        throw new CannotEvaluateError(value, 'malformed conditional');
      await visit((await evaluateNode(condition, context, value)) === true ? whenTrue : whenFalse);
      return;
    }
    if (TFExpressionSyntaxTree.isScopeTraversalExpression(current)) {
      const [root, name] = traversalSegments(current);
      const local = root === 'local' && name !== undefined ? context.locals(name) : undefined;
      if (local !== undefined) {
        out.push(...(await referencesUnder(local, context)));
        return;
      }
      out.push({ segments: traversalSegments(current), text: current.meta.fullAccessor });
      return;
    }
    for (const child of current.children ?? []) await visit(child);
  };
  await visit(ast);
  return out;
}

async function evaluateNumber(value: HclValue, context: EvaluationContext): Promise<number> {
  const result = await evaluateValue(value, context);
  return asNumber(result, String(value));
}

export type { EvaluationContext, Scalar, Traversal };
export { CannotEvaluateError, evaluateNumber, evaluateValue, referencesUnder, templateAst, traversalsIn };
