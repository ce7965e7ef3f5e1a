import { describe, it } from 'vitest';

/**
 * Something a suite needs from outside the repository: a database server, a binary.
 * `missing` names it and how to provide it ('PostgreSQL: set DATABASE_URL'), or is undefined when it is there.
 * `mandatory` says whether a suite needing it must fail rather than skip when it is missing.
 */
interface Requirement {
  readonly missing: string | undefined;
  readonly mandatory: boolean;
}

/** Thrown (as a failing test) when a mandatory requirement is missing. */
class RequirementMissingError extends Error {
  readonly missing: string;

  constructor(missing: string, options?: ErrorOptions) {
    super(`${missing}. CI=true, so the tests that need it fail instead of being skipped.`, options);
    this.name = 'RequirementMissingError';
    this.missing = missing;
  }
}

/** CI=true (GitHub Actions, .ci/run): nothing may silently not run. */
const onCi = (env: NodeJS.ProcessEnv = process.env): boolean => ['true', '1'].includes(env.CI ?? '');

/**
 * By hand a missing thing only skips the suites that need it; on CI it fails them.
 * `optional` is for a run that leaves it out on purpose and covers it elsewhere (one leg of a CI matrix).
 */
const requirement = (
  missing: string | undefined,
  { optional = false, env = process.env }: { optional?: boolean; env?: NodeJS.ProcessEnv } = {},
): Requirement => ({ missing, mandatory: !optional && onCi(env) });

/**
 * A describe block that runs when the requirement is met. Otherwise its tests are listed as skipped under a
 * title naming what is missing, or, when the requirement is mandatory, replaced by one failing test saying so.
 */
const describeWith = (needs: Requirement, title: string, fn: () => void): void => {
  const { missing } = needs;
  if (missing === undefined) {
    describe(title, fn);
  } else if (needs.mandatory) {
    describe(title, () => {
      it(`needs ${missing}`, () => {
        throw new RequirementMissingError(missing);
      });
    });
  } else {
    // `meta.missing` lets missingRequirementsReporter say why, once, at the end of the run.
    describe(`${title} (skipped: ${missing})`, { skip: true, meta: { missing } }, fn);
  }
};

declare module 'vitest' {
  interface TaskMeta {
    /** Set on tests skipped for want of a service or binary: what is missing. */
    missing?: string;
  }
}

export type { Requirement };
export { describeWith, onCi, RequirementMissingError, requirement };
