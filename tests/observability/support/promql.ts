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

export { metricNames, withoutGrafanaVariables };
