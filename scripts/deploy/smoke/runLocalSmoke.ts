import { LocalInvoker } from '../invokers/localInvoker.ts';
import type { LocalPipeline } from '../invokers/localPipeline.ts';
import type { FunctionKind, Invoker } from '../types.ts';
import { runChecks, type SmokeReport } from './runChecks.ts';
import { runMigration } from './runMigration.ts';
import { checksFor } from './suites.ts';

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

export { runLocalSmoke };
