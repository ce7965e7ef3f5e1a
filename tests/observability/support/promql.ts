/**
 * Series names referenced by a PromQL expression. Not a parser: it blanks what cannot hold a series name (strings,
 * label matchers, durations, grouping label lists) and keeps identifiers that are not functions or keywords.
 */

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);

const GROUPING = /\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g;

function metricNames(expr: string): string[] {
  const blanked = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(GROUPING, ' ')
    .replace(/#.*$/gm, ' ');
  const names = new Set<string>();
  for (const match of blanked.matchAll(/(?<![\w:.])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()/g)) {
    const name = match[1] ?? '';
    if (!KEYWORDS.has(name.toLowerCase())) names.add(name);
  }
  return [...names].sort();
}

/** Grafana's interval variables are not PromQL; replace them before handing an expression to promtool. */
function withoutGrafanaVariables(expr: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)\b/g, '5m').replace(/\$\{?(\w+)\}?/g, '$1');
}

const AGGREGATION =
  /\b(sum|min|max|avg|count|group|stddev|stdvar|topk|bottomk|quantile|count_values)\s*(?:(by|without)\s*\(([^)]*)\))?\s*\(/g;
const MATCHING = /\b(on|ignoring)\s*\(([^)]*)\)/g;

const labelList = (list: string): string[] =>
  list
    .split(',')
    .map((label) => label.trim())
    .filter((label) => label.length > 0);

/**
 * The places where an expression would merge or mismatch systems: an aggregation that does not keep `label` (no
 * `by`, `without`, or a `by` list without it), and vector matching `on` a list without it or `ignoring` it.
 * Aggregations must use the prefix form (`sum by (service) (…)`), which this reads.
 */
function labelDroppedBy(expr: string, label = 'service'): string[] {
  const out: string[] = [];
  const text = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const match of text.matchAll(AGGREGATION)) {
    const [whole, , clause, list] = match;
    if (clause !== 'by' || !labelList(list ?? '').includes(label))
      out.push(whole.replace(/\s+/g, ' ').trim());
  }
  for (const match of text.matchAll(MATCHING)) {
    const [whole, keyword, list] = match;
    const keeps = labelList(list ?? '').includes(label);
    if ((keyword === 'on' && !keeps) || (keyword === 'ignoring' && keeps)) out.push(whole);
  }
  return out;
}

/** Selectors of series (by name) that lack `matcher` in their braces, e.g. a panel that ignores a variable. */
function selectorsWithout(expr: string, matcher: string): string[] {
  const names = new Set(metricNames(expr));
  const out: string[] = [];
  for (const match of expr.matchAll(/(?<![\w:.$"])([a-zA-Z_:][\w:]*)\s*(\{[^}]*\})?/g)) {
    if (names.has(match[1] ?? '') && !(match[2] ?? '').includes(matcher)) out.push(match[0].trim());
  }
  return out;
}

export { labelDroppedBy, metricNames, selectorsWithout, withoutGrafanaVariables };
