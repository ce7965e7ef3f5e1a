import * as z from '#shared/domain/zodMini.ts';

/** What the subscriber can be invoked with. Anything else is refused with a clear error. */
const MigrateActionSchema = z.strictObject({ action: z.literal('migrate') });
const RecordsSchema = z.object({
  Records: z.array(z.unknown()).check(z.minLength(1), z.maxLength(10_000)),
});

type SubscriberEvent =
  | { kind: 'migrate' }
  | { kind: 'sqs'; records: unknown[] }
  | { kind: 'sns'; records: unknown[] }
  | { kind: 'unknown'; reason: string };

const sourceOf = (record: unknown): unknown => {
  if (typeof record !== 'object' || record === null) return undefined;
  const r = record as Record<string, unknown>;
  return r.eventSource ?? r.EventSource;
};

const classifyEvent = (event: unknown): SubscriberEvent => {
  // Only an event with an `action` can be the migrate action: a batch skips that parse (and its error).
  const hasAction = typeof event === 'object' && event !== null && 'action' in event;
  if (hasAction && MigrateActionSchema.safeParse(event).success) return { kind: 'migrate' };
  const parsed = RecordsSchema.safeParse(event);
  if (!parsed.success)
    return { kind: 'unknown', reason: 'expected an SQS or SNS event, or {"action":"migrate"}' };
  const { Records } = parsed.data;
  // The source is decided by the first record; mixed batches do not exist in either service.
  const source = sourceOf(Records[0]);
  if (source === 'aws:sqs') return { kind: 'sqs', records: Records };
  if (source === 'aws:sns') return { kind: 'sns', records: Records };
  // A record without a source may still carry a messageId; treat it as SQS so it is reported, not lost.
  return { kind: 'sqs', records: Records };
};

export type { SubscriberEvent };
export { classifyEvent };
