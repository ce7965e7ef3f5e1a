import { randomUUID } from 'node:crypto';
import type { SmokeUser } from './smokeUser.ts';

/** SNS message attributes the API sets on every user event. */
const USER_EVENT_ATTRIBUTES = { eventType: 'user.upserted', schemaVersion: '1' } as const;

/** The event body the API publishes for `POST /users` (contract: eventId, occurredAt, user). */
const buildUserUpsertedMessage = (
  user: SmokeUser,
  options: { eventId?: string; occurredAt?: Date } = {},
): string =>
  JSON.stringify({
    eventId: options.eventId ?? randomUUID(),
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    user,
  });

export { buildUserUpsertedMessage, USER_EVENT_ATTRIBUTES };
