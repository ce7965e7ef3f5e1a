import { z } from 'zod';
import type { LocalQueue } from '#local/localQueue.ts';
import type { OperationContext } from './messageOperations.ts';
import { sqsErrors } from './sqsErrors.ts';
import { parseInput } from './sqsInput.ts';
import { ACCOUNT_ID, type SqsQueues } from './sqsQueues.ts';

const PURGE_INTERVAL_MS = 60_000;

const GetQueueUrlInput = z.object({ QueueName: z.string(), QueueOwnerAWSAccountId: z.string().optional() });
const ListQueuesInput = z.object({
  QueueNamePrefix: z.string().optional(),
  NextToken: z.string().optional(),
  MaxResults: z.number().int().optional(),
});
const GetQueueAttributesInput = z.object({
  QueueUrl: z.string(),
  AttributeNames: z.array(z.string()).optional(),
});
const QueueUrlInput = z.object({ QueueUrl: z.string() });

/** ListQueues pages: the token is the offset, opaque to clients. */
const decodeToken = (token: string): number => {
  const offset = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw sqsErrors.invalidParameterValue('Invalid NextToken value.');
  return offset;
};

/** The queue-level operations: finding queues, their attributes, purging. */
const queueOperations = (queues: SqsQueues) => {
  const purgedAt = new Map<LocalQueue, number>();
  return {
    GetQueueUrl: async (input: unknown, context: OperationContext) => {
      const request = parseInput(GetQueueUrlInput, input);
      const queue = queues.byName(request.QueueName);
      if (queue === undefined || (request.QueueOwnerAWSAccountId ?? ACCOUNT_ID) !== ACCOUNT_ID) {
        throw sqsErrors.queueDoesNotExist();
      }
      return { QueueUrl: queues.urlOf(queue, context.host) };
    },

    ListQueues: async (input: unknown, context: OperationContext) => {
      const request = parseInput(ListQueuesInput, input);
      const max = request.MaxResults;
      if (max !== undefined && (max < 1 || max > 1000)) {
        throw sqsErrors.invalidParameterValue(
          `Value ${max} for parameter MaxResults is invalid. Reason: must be between 1 and 1000.`,
        );
      }
      if (request.NextToken !== undefined && max === undefined) {
        throw sqsErrors.invalidParameterValue(
          'MaxResults is a mandatory parameter when you provide a value for NextToken.',
        );
      }
      const matching = queues.all().filter((q) => q.name.startsWith(request.QueueNamePrefix ?? ''));
      const offset = request.NextToken === undefined ? 0 : decodeToken(request.NextToken);
      const page = max === undefined ? matching : matching.slice(offset, offset + max);
      const next = offset + page.length;
      return {
        ...(page.length > 0 && { QueueUrls: page.map((q) => queues.urlOf(q, context.host)) }),
        ...(max !== undefined &&
          next < matching.length && { NextToken: Buffer.from(String(next)).toString('base64url') }),
      };
    },

    GetQueueAttributes: async (input: unknown) => {
      const request = parseInput(GetQueueAttributesInput, input);
      const queue = queues.byUrl(request.QueueUrl);
      const attributes = await queues.attributes(queue, request.AttributeNames ?? []);
      return Object.keys(attributes).length === 0 ? {} : { Attributes: attributes };
    },

    PurgeQueue: async (input: unknown) => {
      const request = parseInput(QueueUrlInput, input);
      const queue = queues.byUrl(request.QueueUrl);
      const last = purgedAt.get(queue);
      if (last !== undefined && Date.now() - last < PURGE_INTERVAL_MS)
        throw sqsErrors.purgeQueueInProgress(queue.name);
      purgedAt.set(queue, Date.now());
      await queue.purge();
      return {};
    },

    ListDeadLetterSourceQueues: async (input: unknown, context: OperationContext) => {
      const request = parseInput(QueueUrlInput, input);
      const queue = queues.byUrl(request.QueueUrl);
      return { queueUrls: queues.sourcesOf(queue).map((q) => queues.urlOf(q, context.host)) };
    },
  };
};

export { queueOperations };
