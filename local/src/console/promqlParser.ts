/** Parses the PromQL subset `promql.ts` evaluates; anything outside it throws, so an unsupported rule is loud. */

type MatchOp = '=' | '!=' | '=~' | '!~';
interface Matcher {
  label: string;
  op: MatchOp;
  value: string;
}
type BinaryOp = '+' | '-' | '*' | '/' | 'or';

type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'selector'; name: string; matchers: Matcher[]; rangeMs?: number }
  | { kind: 'call'; fn: 'rate' | 'increase' | 'histogram_quantile'; args: Expr[] }
  | { kind: 'sum'; by: string[] | undefined; expr: Expr }
  | { kind: 'binary'; op: BinaryOp; lhs: Expr; rhs: Expr };

class PromqlSyntaxError extends Error {
  override readonly name = 'PromqlSyntaxError';
  constructor(message: string, expr: string, options?: ErrorOptions) {
    super(`${message} in: ${expr.replace(/\s+/g, ' ').slice(0, 200)}`, options);
  }
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 };

const parseDuration = (text: string): number => {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h|d|w)/g))
    total += Number(n) * (DURATION_UNITS[unit ?? 's'] ?? 0);
  return total;
};

const TOKEN =
  /\s*(?:(\d+(?:\.\d+)?(?:e[+-]?\d+)?)|([a-zA-Z_:][\w:]*)|("(?:[^"\\]|\\.)*")|(=~|!=|!~|[=(){}[\],+\-*/]))/y;

const tokenize = (expr: string): string[] => {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  const text = expr.replace(/#.*$/gm, '');
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(text);
    if (match === null)
      throw new PromqlSyntaxError(`Unexpected '${text.slice(TOKEN.lastIndex).trim()[0]}'`, expr);
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
  }
  return tokens;
};

/** Parses one expression of the supported subset; anything else throws, so an unsupported rule is loud. */
const parsePromql = (expr: string): Expr => {
  const tokens = tokenize(expr);
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  const next = (): string => {
    const token = tokens[at++];
    if (token === undefined) throw new PromqlSyntaxError('Unexpected end', expr);
    return token;
  };
  const expect = (token: string): void => {
    const got = next();
    if (got !== token) throw new PromqlSyntaxError(`Expected '${token}', got '${got}'`, expr);
  };
  const labelList = (): string[] => {
    expect('(');
    const labels: string[] = [];
    while (peek() !== ')') {
      labels.push(next());
      if (peek() === ',') next();
    }
    expect(')');
    return labels;
  };

  const primary = (): Expr => {
    const token = next();
    if (token === '(') {
      const inner = orExpr();
      expect(')');
      return inner;
    }
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (token === 'sum') {
      let by: string[] | undefined;
      if (peek() === 'by') {
        next();
        by = labelList();
      }
      expect('(');
      const inner = orExpr();
      expect(')');
      return { kind: 'sum', by, expr: inner };
    }
    if (token === 'rate' || token === 'increase' || token === 'histogram_quantile') {
      expect('(');
      const args = [orExpr()];
      while (peek() === ',') {
        next();
        args.push(orExpr());
      }
      expect(')');
      return { kind: 'call', fn: token, args };
    }
    if (!/^[a-zA-Z_:]/.test(token)) throw new PromqlSyntaxError(`Unexpected '${token}'`, expr);
    const matchers: Matcher[] = [];
    if (peek() === '{') {
      next();
      while (peek() !== '}') {
        const label = next();
        const op = next();
        if (op !== '=' && op !== '!=' && op !== '=~' && op !== '!~')
          throw new PromqlSyntaxError(`Bad matcher '${op}'`, expr);
        matchers.push({ label, op, value: JSON.parse(next()) as string });
        if (peek() === ',') next();
      }
      expect('}');
    }
    if (peek() !== '[') return { kind: 'selector', name: token, matchers };
    next();
    let duration = '';
    while (peek() !== ']') duration += next();
    expect(']');
    return { kind: 'selector', name: token, matchers, rangeMs: parseDuration(duration) };
  };

  const binary = (ops: readonly string[], operand: () => Expr) => (): Expr => {
    let lhs = operand();
    while (ops.includes(peek() ?? '')) {
      const op = next() as BinaryOp;
      lhs = { kind: 'binary', op, lhs, rhs: operand() };
    }
    return lhs;
  };
  const product = binary(['*', '/'], primary);
  const additive = binary(['+', '-'], product);
  const orExpr: () => Expr = binary(['or'], additive);

  const parsed = orExpr();
  if (at !== tokens.length) throw new PromqlSyntaxError(`Unexpected '${tokens[at]}'`, expr);
  return parsed;
};

export type { BinaryOp, Expr, Matcher, MatchOp };
export { PromqlSyntaxError, parseDuration, parsePromql };
