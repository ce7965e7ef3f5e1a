import { type MetricsCatalog, seriesNames } from './metricsCatalog.ts';

/** One sample line of the Prometheus text format. */
interface ExposedSeries {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

interface BudgetOptions {
  /** The system's name: every series must carry exactly this `service`. */
  readonly service: string;
  /** Raw values the caller sent (ids, paths, emails): none may appear inside any label, defaults included. */
  readonly injected?: readonly string[];
}

const unescapeLabel = (value: string): string =>
  value.replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));

/** Series of a text exposition; comments and blank lines skipped. */
function parseExposition(text: string): ExposedSeries[] {
  const out: ExposedSeries[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] ?? ''] = unescapeLabel(pair[2] ?? '');
    }
    out.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return out;
}

const formatBound = (bound: number): string => String(bound);

/** Which contract label values a series may carry; undefined when the series is not an Ingesta metric. */
function allowedFor(
  catalog: MetricsCatalog,
  name: string,
): Map<string, (value: string) => boolean> | undefined {
  const metric = catalog.metrics.find((candidate) => seriesNames(candidate).includes(name));
  if (metric === undefined) return undefined;
  const allowed = new Map<string, (value: string) => boolean>();
  for (const label of metric.labels) {
    const budget = catalog.labelValues[label];
    if (budget === undefined) continue;
    if (Array.isArray(budget)) allowed.set(label, (value) => budget.includes(value));
    else {
      const pattern = new RegExp(budget.pattern);
      allowed.set(label, (value) => pattern.test(value));
    }
  }
  if (name.endsWith('_bucket')) {
    const bounds = [...(metric.buckets ?? []).map(formatBound), '+Inf'];
    allowed.set('le', (value) => bounds.includes(value));
  }
  return allowed;
}

/**
 * Labels outside the budget, as `series: label="value" (why)`. Contract metrics may carry only their declared labels,
 * each from its bounded set; every series must carry the system's `service`; and no raw value the caller sent may
 * reach any label.
 */
function labelBudgetViolations(catalog: MetricsCatalog, text: string, options: BudgetOptions): string[] {
  const out = new Set<string>();
  const injected = (options.injected ?? []).filter((value) => value.length >= 4);
  for (const { name, labels } of parseExposition(text)) {
    if (labels.service !== options.service)
      out.add(`${name}: service="${labels.service ?? ''}" (not the system's name)`);
    const allowed = allowedFor(catalog, name);
    for (const [label, value] of Object.entries(labels)) {
      if (catalog.commonLabels.includes(label)) continue;
      const raw = injected.find((candidate) => value.includes(candidate));
      if (raw !== undefined) out.add(`${name}: ${label}="${value}" (a raw value the client sent)`);
      if (allowed === undefined) continue;
      const accepts = allowed.get(label);
      if (accepts === undefined) out.add(`${name}: ${label}="${value}" (not a label of the contract)`);
      else if (!accepts(value)) out.add(`${name}: ${label}="${value}" (outside the bounded set)`);
    }
  }
  return [...out].sort();
}

export type { BudgetOptions, ExposedSeries };
export { labelBudgetViolations, parseExposition };
