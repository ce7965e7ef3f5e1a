import { ValidationError } from './errors.ts';
import { toEventTime } from './eventTime.ts';
import { NewUserSchema } from './user.ts';
import { toFieldIssues } from './zodIssues.ts';
import * as z from './zodMini.ts';

/** The event contract between the API (producer) and the subscriber (consumer). */
const USER_EVENT_TYPE = 'user.upserted';
const USER_EVENT_SCHEMA_VERSION = '1';

/** Message attribute names carried beside the body (SNS attributes or SQS message attributes). */
const EventAttribute = {
  type: 'eventType',
  schemaVersion: 'schemaVersion',
} as const;

/** Client-supplied Idempotency-Key values become event ids, so keep them short and printable. */
const EVENT_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

const UserEventSchema = z.compiled(
  z.strictObject({
    eventId: z.string().check(z.regex(EVENT_ID_PATTERN, 'eventId must be 1-128 printable ASCII characters')),
    /** Normalised to UTC microseconds (eventTime.ts), so JS and SQL order events the same way. */
    occurredAt: z.pipe(
      z.iso.datetime({ offset: true, error: 'occurredAt must be an ISO-8601 timestamp' }),
      z.transform((value: string, ctx) => {
        const eventTime = toEventTime(value);
        if (eventTime !== undefined) return eventTime;
        ctx.issues.push({
          code: 'custom',
          input: value,
          message: 'occurredAt must fall in the years 0001-9999 (UTC)',
        });
        return z.NEVER;
      }),
    ),
    user: NewUserSchema,
  }),
);

type UserEvent = z.output<typeof UserEventSchema>;

const parseUserEvent = (input: unknown): UserEvent => {
  const result = UserEventSchema.safeParse(input);
  if (!result.success) {
    throw new ValidationError('The user event is invalid.', toFieldIssues(result.error));
  }
  return result.data;
};

/**
 * Checks the attributes that travel beside the body. Missing attributes are accepted (a producer
 * may not set them); present ones must match, so a foreign or future event is never misread.
 */
const checkUserEventAttributes = (attributes: Readonly<Record<string, string | undefined>>): void => {
  const type = attributes[EventAttribute.type];
  const version = attributes[EventAttribute.schemaVersion];
  const issues = [];
  if (type !== undefined && type !== USER_EVENT_TYPE) {
    issues.push({ path: EventAttribute.type, message: `expected '${USER_EVENT_TYPE}', got '${type}'` });
  }
  if (version !== undefined && version !== USER_EVENT_SCHEMA_VERSION) {
    issues.push({
      path: EventAttribute.schemaVersion,
      message: `expected '${USER_EVENT_SCHEMA_VERSION}', got '${version}'`,
    });
  }
  if (issues.length > 0)
    throw new ValidationError('The event attributes do not match this consumer.', issues);
};

const userEventAttributes = (): Record<string, string> => ({
  [EventAttribute.type]: USER_EVENT_TYPE,
  [EventAttribute.schemaVersion]: USER_EVENT_SCHEMA_VERSION,
});

export type { UserEvent };
export {
  checkUserEventAttributes,
  EVENT_ID_PATTERN,
  EventAttribute,
  parseUserEvent,
  USER_EVENT_SCHEMA_VERSION,
  USER_EVENT_TYPE,
  UserEventSchema,
  userEventAttributes,
};
