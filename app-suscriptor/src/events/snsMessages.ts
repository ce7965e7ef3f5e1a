import { SnsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import type { InboundMessage } from '../../../shared/src/domain/ingestUserEvents.ts';
import { ValidationError } from '../../../shared/src/errors.ts';

/** Direct SNS → Lambda invocations (the original design). SNS sends one record per invoke. */
const unpackSnsRecords = (records: readonly unknown[]): InboundMessage[] =>
  records.map((raw, index) => {
    const record = SnsRecordSchema.safeParse(raw);
    if (!record.success) {
      throw new ValidationError(`SNS record ${index} is malformed.`, [
        { path: `Records.${index}`, message: record.error.issues[0]?.message ?? 'invalid' },
      ]);
    }
    const sns = record.data.Sns;
    const attributes = Object.fromEntries(
      Object.entries(sns.MessageAttributes ?? {}).map(([name, a]) => [name, a.Value]),
    );
    return { id: sns.MessageId, body: sns.Message, attributes };
  });

export { unpackSnsRecords };
