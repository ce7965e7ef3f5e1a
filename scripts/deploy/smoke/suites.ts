import type { FunctionKind } from '../types.ts';
import { createApiChecks } from './apiChecks.ts';
import type { SmokeCheck } from './smokeCheck.ts';
import { createSmokeUser } from './smokeUser.ts';
import { createSubscriberChecks } from './subscriberChecks.ts';

/** The suite for one kind of function, each run with a fresh unique smoke user. */
const checksFor = (kind: FunctionKind): SmokeCheck[] =>
  kind === 'api' ? createApiChecks(createSmokeUser()) : createSubscriberChecks(createSmokeUser());

export { checksFor };
