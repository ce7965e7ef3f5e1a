import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { snsEnvelope } from '#local/snsEnvelope.ts';
import { userEventAttributes } from '#shared/domain/userEvent.ts';
import { SmokeCheckError } from '../errors.ts';
import { buildSqsEvent, buildSqsRecord, SMOKE_TOPIC_ARN } from '../events/sqsEvent.ts';
import type { Invoker } from '../types.ts';
import { expectInvocationOk, type SmokeCheck } from './smokeCheck.ts';
import type { SmokeUser } from './smokeUser.ts';
import { buildUserUpsertedMessage } from './userEvent.ts';

const batchResponseSchema = z.object({
  batchItemFailures: z.array(z.object({ itemIdentifier: z.string() })),
});

/**
 * The subscriber suite: one SQS batch with a real-shaped SNS-enveloped user event and a record whose
 * body is not JSON. A correct partial batch response names exactly the invalid record.
 */
const createSubscriberChecks = (user: SmokeUser): SmokeCheck[] => [
  {
    name: 'SQS batch (1 valid, 1 invalid) → only invalid fails',
    run: async (invoker: Invoker) => {
      const valid = buildSqsRecord(
        snsEnvelope({
          messageId: randomUUID(),
          topicArn: SMOKE_TOPIC_ARN,
          message: buildUserUpsertedMessage(user),
          attributes: userEventAttributes(),
          timestamp: new Date(),
        }),
        { messageId: `smoke-valid-${randomUUID()}` },
      );
      const invalid = buildSqsRecord('this body is not JSON', { messageId: `smoke-invalid-${randomUUID()}` });
      const invocation = await invoker.invoke(buildSqsEvent([valid, invalid]));
      expectInvocationOk(invocation);

      const parsed = batchResponseSchema.safeParse(invocation.payload);
      if (!parsed.success) {
        throw new SmokeCheckError('Response is not { batchItemFailures: [...] }', invocation);
      }
      const failed = parsed.data.batchItemFailures.map((failure) => failure.itemIdentifier);
      if (failed.length !== 1 || failed[0] !== invalid.messageId) {
        throw new SmokeCheckError(
          `batchItemFailures ${JSON.stringify(failed)}, expected exactly ["${invalid.messageId}"]`,
          invocation,
        );
      }
      return `stored ${user.email}; rejected ${invalid.messageId}`;
    },
  },
];

export { createSubscriberChecks };
