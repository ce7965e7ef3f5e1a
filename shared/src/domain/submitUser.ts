import { randomUUID } from 'node:crypto';
import { ValidationError } from './errors.ts';
import { createEventClock, type EventClock } from './eventTime.ts';
import type { PublishReceipt, UserEventPublisher } from './ports.ts';
import { parseNewUser } from './user.ts';
import { EVENT_ID_PATTERN, type UserEvent } from './userEvent.ts';

interface SubmitUserResult extends PublishReceipt {
  eventId: string;
}

interface SubmitUserInput {
  body: unknown;
  /** The client's Idempotency-Key: retries with the same key yield the same event id. */
  idempotencyKey?: string | undefined;
  /** Defaults to this process's clock, so successive submissions get increasing times. */
  clock?: EventClock;
}

/** One clock per process (per Lambda instance): its events are strictly ordered. */
const processClock = createEventClock();

/** Validates a user and publishes it as an event; the subscriber does the write. */
const submitUser = async (
  publisher: UserEventPublisher,
  { body, idempotencyKey, clock = processClock }: SubmitUserInput,
): Promise<SubmitUserResult> => {
  if (idempotencyKey !== undefined && !EVENT_ID_PATTERN.test(idempotencyKey)) {
    throw new ValidationError('The Idempotency-Key header is invalid.', [
      { path: 'Idempotency-Key', message: 'must be 1-128 printable ASCII characters' },
    ]);
  }
  const user = parseNewUser(body);
  // Timed only once valid, so a refused request does not advance the clock.
  const event: UserEvent = { eventId: idempotencyKey ?? randomUUID(), occurredAt: clock(), user };
  const receipt = await publisher.publish(event);
  return { eventId: event.eventId, messageId: receipt.messageId };
};

export type { SubmitUserInput, SubmitUserResult };
export { submitUser };
