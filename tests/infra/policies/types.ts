import type { HclValue, TfModule } from '../support/hcl.ts';

/** One broken rule, located well enough to fix it. */
interface Violation {
  readonly policy: string;
  readonly where: string;
  readonly message: string;
}

/** Values for variables (a tfvars file) to evaluate the module with, on top of the defaults. */
interface PolicyContext {
  readonly variables?: Readonly<Record<string, HclValue>>;
}

interface Policy {
  readonly id: string;
  readonly title: string;
  check(module: TfModule, context?: PolicyContext): Promise<Violation[]>;
}

export type { Policy, PolicyContext, Violation };
