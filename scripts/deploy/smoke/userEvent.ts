import { randomUUID } from 'node:crypto';
import type { SmokeUser } from './smokeUser.ts';

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

export { buildUserUpsertedMessage };
