import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { LocalQueue, MessageAttribute, ReceivedMessage } from '#local/localQueue.ts';
import { MAX_MESSAGE_BYTES } from '#local/messageSize.ts';
import type { Arrivals } from './arrivals.ts';
import {
  MessageAttributeValueSchema,
  md5OfMessageAttributes,
  messageSize,
  selectAttributes,
  toQueueAttributes,
  toWire,
  VALID_BODY,
} from './messageAttributes.ts';
import { SqsError, sqsErrors } from './sqsErrors.ts';
import { parseInput } from './sqsInput.ts';
import type { SqsQueues } from './sqsQueues.ts';

const SENDER_ID = 'AIDALOCALSENDER000000';
const MAX_BATCH = 10;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_VISIBILITY_S = 43_200;

interface OperationContext {
  /** Host the client addressed, for queue URLs. */
  host: string;
  /** Aborts when the client disconnects or the server closes: ends a long poll. */
  signal: AbortSignal | undefined;
}

const QueueUrl = z.string();
const Attributes = z.record(z.string(), MessageAttributeValueSchema).optional();

const SendFields = {
  MessageBody: z.string(),
  DelaySeconds: z.number().int().optional(),
  MessageAttributes: Attributes,
  MessageSystemAttributes: z.record(z.string(), z.unknown()).optional(),
  MessageDeduplicationId: z.string().optional(),
  MessageGroupId: z.string().optional(),
};

const SendMessageInput = z.object({ QueueUrl, ...SendFields });
const SendMessageBatchInput = z.object({
  QueueUrl,
  Entries: z.array(z.object({ Id: z.string(), ...SendFields })),
});
const ReceiveMessageInput = z.object({
  QueueUrl,
  AttributeNames: z.array(z.string()).optional(),
  MessageSystemAttributeNames: z.array(z.string()).optional(),
  MessageAttributeNames: z.array(z.string()).optional(),
  MaxNumberOfMessages: z.number().int().optional(),
  VisibilityTimeout: z.number().int().optional(),
  WaitTimeSeconds: z.number().int().optional(),
  ReceiveRequestAttemptId: z.string().optional(),
});
const DeleteMessageInput = z.object({ QueueUrl, ReceiptHandle: z.string() });
const DeleteMessageBatchInput = z.object({
  QueueUrl,
  Entries: z.array(z.object({ Id: z.string(), ReceiptHandle: z.string() })),
});
const ChangeMessageVisibilityInput = z.object({
  QueueUrl,
  ReceiptHandle: z.string(),
  VisibilityTimeout: z.number().int(),
});

const SYSTEM_ATTRIBUTES = [
  'All',
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
];

interface ValidSend {
  body: string;
  attributes: Record<string, MessageAttribute>;
}

/** SendMessage's checks, shared by each batch entry. */
const checkSend = (
  entry: z.output<typeof SendMessageInput> | z.output<typeof SendMessageBatchInput>['Entries'][number],
): ValidSend => {
  if (entry.MessageBody.length === 0) throw sqsErrors.missingParameter('MessageBody');
  if (!VALID_BODY.test(entry.MessageBody)) throw sqsErrors.invalidMessageContents();
  if (entry.MessageGroupId !== undefined || entry.MessageDeduplicationId !== undefined) {
    throw sqsErrors.invalidParameterValue(
      `The request include parameter ${entry.MessageGroupId !== undefined ? 'MessageGroupId' : 'MessageDeduplicationId'} that is not valid for this queue type.`,
    );
  }
  if (entry.DelaySeconds !== undefined && entry.DelaySeconds !== 0) {
    if (entry.DelaySeconds < 0 || entry.DelaySeconds > 900) {
      throw sqsErrors.invalidParameterValue(
        `Value ${entry.DelaySeconds} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.`,
      );
    }
    throw sqsErrors.invalidParameterValue(
      'DelaySeconds is not supported by the local queues: send without a delay.',
    );
  }
  const attributes = toQueueAttributes(entry.MessageAttributes);
  const size = messageSize(entry.MessageBody, attributes);
  if (size > MAX_MESSAGE_BYTES) {
    throw sqsErrors.invalidParameterValue(
      `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`,
    );
  }
  return { body: entry.MessageBody, attributes };
};

const sendResult = (messageId: string, { body, attributes }: ValidSend) => {
  const md5OfAttributes = md5OfMessageAttributes(attributes);
  return {
    MessageId: messageId,
    MD5OfMessageBody: createMd5(body),
    ...(md5OfAttributes !== undefined && { MD5OfMessageAttributes: md5OfAttributes }),
  };
};

const createMd5 = (body: string) => createHash('md5').update(body, 'utf8').digest('hex');

/** Checks a batch's shape: 1–10 entries with distinct, well-formed ids. */
const checkBatch = (entries: readonly { Id: string }[]): void => {
  if (entries.length === 0) throw sqsErrors.emptyBatchRequest();
  if (entries.length > MAX_BATCH) throw sqsErrors.tooManyEntries(entries.length);
  const seen = new Set<string>();
  for (const { Id } of entries) {
    if (!BATCH_ID.test(Id)) throw sqsErrors.invalidBatchEntryId();
    if (seen.has(Id)) throw sqsErrors.batchEntryIdsNotDistinct(Id);
    seen.add(Id);
  }
};

const inRange = (name: string, value: number | undefined, min: number, max: number): void => {
  if (value !== undefined && (value < min || value > max)) {
    throw sqsErrors.invalidParameterValue(
      `Value ${value} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}, if provided.`,
    );
  }
};

const toWireMessage = (
  queue: LocalQueue,
  { message, receiptHandle }: ReceivedMessage,
  systemNames: readonly string[],
  attributeNames: readonly string[],
) => {
  const all = systemNames.includes('All');
  const wants = (name: string) => all || systemNames.includes(name);
  const system: Record<string, string> = {};
  if (wants('SenderId')) system.SenderId = SENDER_ID;
  if (wants('SentTimestamp')) system.SentTimestamp = String(message.sentTimestamp);
  if (wants('ApproximateReceiveCount')) system.ApproximateReceiveCount = String(message.receiveCount);
  if (wants('ApproximateFirstReceiveTimestamp')) {
    system.ApproximateFirstReceiveTimestamp = String(message.firstReceiveTimestamp ?? message.sentTimestamp);
  }
  if (wants('DeadLetterQueueSourceArn') && message.sourceQueueArn !== null && queue.redrive === undefined) {
    system.DeadLetterQueueSourceArn = message.sourceQueueArn;
  }
  const attributes = selectAttributes(message.attributes, attributeNames);
  const md5OfAttributes = md5OfMessageAttributes(attributes);
  return {
    MessageId: message.messageId,
    ReceiptHandle: receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(system).length > 0 && { Attributes: system }),
    ...(md5OfAttributes !== undefined && {
      MD5OfMessageAttributes: md5OfAttributes,
      MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([name, a]) => [name, toWire(a)])),
    }),
  };
};

/** The message operations of SQS over the local queues, JSON-shaped in and out (as the JSON 1.0 protocol carries them). */
const messageOperations = (queues: SqsQueues, arrivals: Arrivals) => ({
  SendMessage: async (input: unknown) => {
    const request = parseInput(SendMessageInput, input);
    const queue = queues.byUrl(request.QueueUrl);
    const valid = checkSend(request);
    return sendResult(await queue.sendMessage(valid.body, valid.attributes), valid);
  },

  SendMessageBatch: async (input: unknown) => {
    const request = parseInput(SendMessageBatchInput, input);
    const queue = queues.byUrl(request.QueueUrl);
    checkBatch(request.Entries);
    const total = request.Entries.reduce((n, e) => n + Buffer.byteLength(e.MessageBody), 0);
    if (total > MAX_MESSAGE_BYTES) throw sqsErrors.batchRequestTooLong(total, MAX_MESSAGE_BYTES);
    const settled = await Promise.all(
      request.Entries.map(async (entry) => {
        try {
          const valid = checkSend(entry);
          return {
            ok: true as const,
            entry: {
              Id: entry.Id,
              ...sendResult(await queue.sendMessage(valid.body, valid.attributes), valid),
            },
          };
        } catch (error) {
          if (!(error instanceof SqsError)) throw error;
          return {
            ok: false as const,
            entry: { Id: entry.Id, SenderFault: true, Code: error.code, Message: error.message },
          };
        }
      }),
    );
    return {
      Successful: settled.flatMap((s) => (s.ok ? [s.entry] : [])),
      Failed: settled.flatMap((s) => (s.ok ? [] : [s.entry])),
    };
  },

  ReceiveMessage: async (input: unknown, context: OperationContext) => {
    const request = parseInput(ReceiveMessageInput, input);
    const queue = queues.byUrl(request.QueueUrl);
    inRange('MaxNumberOfMessages', request.MaxNumberOfMessages, 1, MAX_BATCH);
    inRange('VisibilityTimeout', request.VisibilityTimeout, 0, MAX_VISIBILITY_S);
    inRange('WaitTimeSeconds', request.WaitTimeSeconds, 0, 20);
    const systemNames = [...(request.AttributeNames ?? []), ...(request.MessageSystemAttributeNames ?? [])];
    for (const name of systemNames)
      if (!SYSTEM_ATTRIBUTES.includes(name)) throw sqsErrors.invalidAttributeName(name);
    const max = request.MaxNumberOfMessages ?? 1;
    const visibilityMs =
      request.VisibilityTimeout === undefined ? undefined : request.VisibilityTimeout * 1000;
    const deadline = Date.now() + (request.WaitTimeSeconds ?? 0) * 1000;
    for (;;) {
      const received = await queue.receive(max, visibilityMs);
      const left = deadline - Date.now();
      if (received.length > 0 || left <= 0 || context.signal?.aborted) {
        const messages = received.map((r) =>
          toWireMessage(queue, r, systemNames, request.MessageAttributeNames ?? []),
        );
        return messages.length === 0 ? {} : { Messages: messages };
      }
      // Until an arrival, the soonest hidden message's return, or the end of the wait.
      const next = await queue.nextVisibleAt();
      await arrivals.wait(queue, next === null ? left : Math.min(left, next - Date.now()), context.signal);
    }
  },

  DeleteMessage: async (input: unknown) => {
    const request = parseInput(DeleteMessageInput, input);
    const queue = queues.byUrl(request.QueueUrl);
    if (!isHandle(request.ReceiptHandle)) throw sqsErrors.receiptHandleIsInvalid(request.ReceiptHandle);
    // As in SQS, a stale handle (the message was received again, or is gone) deletes nothing, silently.
    await queue.delete(request.ReceiptHandle);
    return {};
  },

  DeleteMessageBatch: async (input: unknown) => {
    const request = parseInput(DeleteMessageBatchInput, input);
    const queue = queues.byUrl(request.QueueUrl);
    checkBatch(request.Entries);
    const valid = request.Entries.filter((e) => isHandle(e.ReceiptHandle));
    if (valid.length > 0) await queue.deleteBatch(valid.map((e) => e.ReceiptHandle));
    return {
      Successful: valid.map((e) => ({ Id: e.Id })),
      Failed: request.Entries.filter((e) => !isHandle(e.ReceiptHandle)).map((e) => ({
        Id: e.Id,
        SenderFault: true,
        Code: 'ReceiptHandleIsInvalid',
        Message: `The input receipt handle "${e.ReceiptHandle.slice(0, 200)}" is not a valid receipt handle.`,
      })),
    };
  },

  ChangeMessageVisibility: async (input: unknown) => {
    const request = parseInput(ChangeMessageVisibilityInput, input);
    const queue = queues.byUrl(request.QueueUrl);
    inRange('VisibilityTimeout', request.VisibilityTimeout, 0, MAX_VISIBILITY_S);
    if (!isHandle(request.ReceiptHandle)) throw sqsErrors.receiptHandleIsInvalid(request.ReceiptHandle);
    if (!(await queue.changeVisibility(request.ReceiptHandle, request.VisibilityTimeout * 1000))) {
      throw sqsErrors.invalidParameterValue(
        `Value ${request.ReceiptHandle.slice(0, 200)} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      );
    }
    return {};
  },
});

const HANDLE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[0-9a-f-]{36}$/;
const isHandle = (handle: string): boolean => HANDLE.test(handle);

export type { OperationContext };
export { messageOperations };
