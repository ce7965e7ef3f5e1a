import { SmokeCheckError } from './errors.ts';
import { type InvokeResult, type Invoker, LocalInvoker, type LocalPipeline } from './invokers.ts';
import { checksFor, type FunctionKind, runMigration, type SmokeCheck } from './smokeChecks.ts';

type CheckOutcome = {
  name: string;
  passed: boolean;
  detail: string;
  durationMs: number;
  /** The invoke that failed the check, to print its payload. */
  invocation?: InvokeResult;
};

type SmokeReport = { target: string; outcomes: CheckOutcome[]; passed: boolean };

/** Runs every check, even after a failure, so one report shows the whole picture. */
const runChecks = async (invoker: Invoker, checks: SmokeCheck[]): Promise<SmokeReport> => {
  const outcomes: CheckOutcome[] = [];
  for (const check of checks) {
    const started = performance.now();
    try {
      const detail = await check.run(invoker);
      outcomes.push({ name: check.name, passed: true, detail, durationMs: performance.now() - started });
    } catch (error) {
      const outcome: CheckOutcome = {
        name: check.name,
        passed: false,
        detail: error instanceof Error ? error.message : String(error),
        durationMs: performance.now() - started,
      };
      if (error instanceof SmokeCheckError && error.invocation) outcome.invocation = error.invocation;
      outcomes.push(outcome);
    }
  }
  return { target: invoker.target, outcomes, passed: outcomes.every((outcome) => outcome.passed) };
};

/**
 * The deployed suites against the local handlers. Migrating first mirrors the deploy, which
 * migrates the subscriber's new version before its smoke test.
 */
const runLocalSmoke = async (
  pipeline: LocalPipeline,
  kinds: FunctionKind[],
): Promise<{ reports: SmokeReport[]; api: Invoker }> => {
  const api = new LocalInvoker('ingesta-api', pipeline.apiHandler);
  const subscriber = new LocalInvoker('ingesta-suscriptor', pipeline.subscriberHandler);
  await runMigration(subscriber);
  const reports: SmokeReport[] = [];
  for (const kind of kinds) {
    const invoker = kind === 'api' ? api : subscriber;
    reports.push(await runChecks(invoker, checksFor(kind)));
  }
  return { reports, api };
};

const MAX_PAYLOAD_CHARS = 4_000;

const pad = (text: string, width: number): string => text.padEnd(width);

const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;

const formatDuration = (ms: number): string => `${Math.round(ms)} ms`;

/** A fixed-width table of the checks, then each failure with its invoke result. */
const formatReport = (report: SmokeReport): string => {
  const rows = report.outcomes.map((outcome, index) => [
    String(index + 1),
    outcome.name,
    outcome.passed ? 'PASS' : 'FAIL',
    formatDuration(outcome.durationMs),
    outcome.detail,
  ]);
  const header = ['#', 'Check', 'Result', 'Time', 'Detail'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : pad(cell, widths[column] ?? 0)))
      .join('  ');
  const failed = report.outcomes.filter((outcome) => !outcome.passed);
  const verdict = report.passed
    ? `All ${report.outcomes.length} checks passed.`
    : `${failed.length} of ${report.outcomes.length} checks FAILED.`;
  return [
    `Smoke checks against ${report.target}`,
    line(header),
    ...rows.map(line),
    verdict,
    ...failed.map(formatFailure),
  ].join('\n');
};

const formatFailure = (outcome: CheckOutcome): string => {
  const lines = [`FAILED: ${outcome.name}: ${outcome.detail}`];
  if (outcome.invocation) {
    const { statusCode, functionError, payload } = outcome.invocation;
    lines.push(`  StatusCode: ${statusCode}${functionError ? `  FunctionError: ${functionError}` : ''}`);
    lines.push(`  Payload: ${truncate(JSON.stringify(payload, null, 2), MAX_PAYLOAD_CHARS)}`);
  }
  return lines.join('\n');
};

const escapeCell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The same table in Markdown, for `$GITHUB_STEP_SUMMARY`. */
const formatReportMarkdown = (report: SmokeReport): string =>
  [
    `### Smoke checks against \`${report.target}\`: ${report.passed ? '✅ passed' : '❌ failed'}`,
    '',
    '| # | Check | Result | Time | Detail |',
    '|---|---|---|---|---|',
    ...report.outcomes.map(
      (outcome, index) =>
        `| ${index + 1} | ${escapeCell(outcome.name)} | ${outcome.passed ? 'PASS' : 'FAIL'} | ${formatDuration(
          outcome.durationMs,
        )} | ${escapeCell(outcome.detail)} |`,
    ),
    '',
  ].join('\n');

export type { CheckOutcome, SmokeReport };
export { formatReport, formatReportMarkdown, runChecks, runLocalSmoke };
