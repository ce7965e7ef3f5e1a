import { SmokeCheckError } from '../errors.ts';
import type { InvokeResult, Invoker } from '../types.ts';
import type { SmokeCheck } from './smokeCheck.ts';

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

export type { CheckOutcome, SmokeReport };
export { runChecks };
