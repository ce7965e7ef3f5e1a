import { z } from 'zod';
import { MIGRATE_PAYLOAD } from '../constants.ts';
import { SmokeCheckError } from '../errors.ts';
import type { Invoker } from '../types.ts';
import { expectInvocationOk } from './smokeCheck.ts';

const migratedSchema = z.object({
  status: z.literal('migrated'),
  applied: z.array(z.string()),
  latest: z.string().nullable().optional(),
});

type MigrationResult = z.infer<typeof migratedSchema>;

/** Asks the subscriber to apply pending schema migrations (contract: `{ "action": "migrate" }`). */
const runMigration = async (invoker: Invoker): Promise<MigrationResult> => {
  const invocation = await invoker.invoke(MIGRATE_PAYLOAD);
  expectInvocationOk(invocation);
  const parsed = migratedSchema.safeParse(invocation.payload);
  if (!parsed.success) {
    throw new SmokeCheckError('Migration did not report { status: "migrated" }', invocation);
  }
  return parsed.data;
};

export type { MigrationResult };
export { runMigration };
