import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type Expr, parseDuration, parsePromql } from './promqlParser.ts';

/** The Prometheus rules are the one statement of the SLOs; the console reads them instead of a copy. */
const RULES_DIR = fileURLToPath(new URL('../../../observability/prometheus/rules/', import.meta.url));

const RuleFileSchema = z.object({
  groups: z.array(
    z.object({
      name: z.string(),
      rules: z.array(
        z.object({
          record: z.string().optional(),
          alert: z.string().optional(),
          expr: z.union([z.string(), z.number()]).transform(String),
          labels: z.record(z.string(), z.string()).optional(),
        }),
      ),
    }),
  ),
});

/** One multiwindow condition of a burn-rate alert: both windows above `factor` × the budget. */
interface BurnCondition {
  severity: string;
  factor: number;
  longWindow: string;
  shortWindow: string;
}

interface SloDefinition {
  /** `api_latency`, as in `slo:api_latency:…`. */
  id: string;
  /** What the rule file's first comment says the SLO is. */
  title: string;
  file: string;
  /** Allowed error ratio: 1 − objective. */
  budget: number;
  /** The SLI's error-ratio expression per window (`5m` → `slo:<id>:error_ratio_rate5m`'s expr). */
  errorRatio: ReadonlyMap<string, Expr>;
  /** Source text of the same, for display and tests. */
  errorRatioText: ReadonlyMap<string, string>;
  conditions: readonly BurnCondition[];
}

const BUDGET = /^\s*1\s*-\s*slo:(\w+):error_ratio_rate\w+\s*\/\s*([\d.]+)\s*$/;
const CONDITION = /slo:(\w+):error_ratio_rate(\w+)\s*>\s*\(?\s*(?:([\d.]+)\s*\*\s*)?([\d.]+)\s*\)?/g;

/** Reads every `slo-<id>-sli` group (recording rules) and its `slo-<id>-alerts` group from one rule file. */
const slosOfFile = (file: string, text: string, parse: (yaml: string) => unknown): SloDefinition[] => {
  const { groups } = RuleFileSchema.parse(parse(text));
  const title = /^#\s*SLO:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? file;
  return groups.flatMap((group) => {
    const id = /^slo-(.+)-sli$/.exec(group.name)?.[1]?.replace(/-/g, '_');
    if (id === undefined) return [];
    const errorRatio = new Map<string, Expr>();
    const errorRatioText = new Map<string, string>();
    let budget: number | undefined;
    for (const rule of group.rules) {
      const window = new RegExp(`^slo:${id}:error_ratio_rate(\\w+)$`).exec(rule.record ?? '')?.[1];
      if (window !== undefined) {
        errorRatio.set(window, parsePromql(rule.expr));
        errorRatioText.set(window, rule.expr.trim());
      }
      if (rule.record === `slo:${id}:error_budget_remaining`) budget = Number(BUDGET.exec(rule.expr)?.[2]);
    }
    if (budget === undefined || !Number.isFinite(budget))
      throw new Error(`${file}: slo:${id}:error_budget_remaining does not read as 1 - ratio / budget`);
    const alerts = groups.find((g) => g.name === `slo-${id.replace(/_/g, '-')}-alerts`)?.rules ?? [];
    const conditions = alerts.flatMap((rule) => {
      const severity = rule.labels?.severity ?? 'unknown';
      const found = [...rule.expr.matchAll(CONDITION)].filter((m) => m[1] === id);
      const out: BurnCondition[] = [];
      // Each condition is a pair: the long window, then the short one, at the same factor.
      for (let i = 0; i + 1 < found.length; i += 2) {
        const [long, short] = [found[i], found[i + 1]];
        if (long?.[2] === undefined || short?.[2] === undefined) continue;
        const [a, b] = [long[2], short[2]].sort((x, y) => parseDuration(y) - parseDuration(x));
        out.push({
          severity,
          factor: Number(long[3] ?? 1),
          longWindow: a ?? long[2],
          shortWindow: b ?? short[2],
        });
      }
      return out;
    });
    return [{ id, title, file, budget, errorRatio, errorRatioText, conditions }];
  });
};

/** Every SLO in the rules folder, in file order. The YAML parser loads only when the console first asks. */
const loadSloDefinitions = async (dir = RULES_DIR): Promise<SloDefinition[]> => {
  const { parse } = await import('yaml');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yml')).sort();
  const texts = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
  return files.flatMap((file, i) => slosOfFile(file, texts[i] ?? '', parse));
};

export type { BurnCondition, SloDefinition };
export { loadSloDefinitions, RULES_DIR };
