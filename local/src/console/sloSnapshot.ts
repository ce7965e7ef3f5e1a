import { evaluate, type SeriesSource, singleValue } from './promql.ts';
import { parseDuration } from './promqlParser.ts';
import type { SloDefinition } from './sloRules.ts';
import type { SloSnapshot } from './snapshot.ts';

/** One SLO as the page shows it: objective, SLI over the run, burn rates per alert window, alerts firing. */
const sloSnapshot = (
  slo: SloDefinition,
  current: SeriesSource,
  at: number,
  startedAtMs: number,
  historyFor: (windowMs: number) => (SeriesSource & { latestMs: number | undefined }) | undefined,
): SloSnapshot => {
  const anyExpr = slo.errorRatio.values().next().value;
  const runRatio =
    anyExpr === undefined ? null : singleValue(evaluate(anyExpr, current, at, { sinceMs: startedAtMs }));
  const windows = [...new Set(slo.conditions.flatMap((c) => [c.shortWindow, c.longWindow]))].sort(
    (a, b) => parseDuration(a) - parseDuration(b),
  );
  const burn = new Map<string, number | null>();
  const notKept: string[] = [];
  for (const window of windows) {
    const history = historyFor(parseDuration(window));
    const expr = slo.errorRatio.get(window);
    if (history === undefined || expr === undefined) {
      notKept.push(window);
      continue;
    }
    const ratio = singleValue(evaluate(expr, history, history.latestMs ?? at));
    burn.set(window, ratio === null ? null : ratio / slo.budget);
  }
  return {
    id: slo.id,
    title: slo.title,
    objective: 1 - slo.budget,
    sliRun: runRatio === null ? null : 1 - runRatio,
    windows: [...burn].map(([window, burnRate]) => ({ window, burnRate })),
    conditions: slo.conditions.map((c) => {
      const [long, short] = [burn.get(c.longWindow), burn.get(c.shortWindow)];
      return { ...c, firing: long != null && short != null && long > c.factor && short > c.factor };
    }),
    notKept,
  };
};

export { sloSnapshot };
