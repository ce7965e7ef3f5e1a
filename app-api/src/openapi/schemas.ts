import { z } from 'zod';
import type { FieldIssue } from '#shared/domain/errors.ts';
import type { UsersPage } from '#shared/domain/listUsers.ts';
import type { SubmitUserResult } from '#shared/domain/submitUser.ts';
import { USER_ID_PATTERN, type User } from '#shared/domain/user.ts';
import { EVENT_ID_PATTERN } from '#shared/domain/userEvent.ts';

/**
 * The response shapes, as zod schemas. Each must describe exactly the type the domain returns: the
 * `exactly` check fails to compile otherwise, so the published document cannot drift from the code.
 * Request schemas are the domain's own (NewUserSchema, PageQuerySchema).
 */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const exactly =
  <T>() =>
  <S extends z.ZodType>(schema: S & (Equals<z.output<S>, T> extends true ? unknown : never)): S =>
    schema;

const UserSchema = exactly<User>()(
  z
    .strictObject({
      id: z.string().regex(USER_ID_PATTERN).meta({ description: 'A Postgres bigint, as a string.' }),
      name: z.string(),
      email: z.string().meta({ description: 'Stored in lower case.' }),
      createdAt: z.iso.datetime(),
      updatedAt: z.iso.datetime().meta({ description: 'When the subscriber last changed this user.' }),
    })
    .meta({ description: 'A stored user.' }),
);

const UsersPageSchema = exactly<UsersPage>()(
  z
    .strictObject({
      items: z.array(UserSchema),
      nextCursor: z
        .string()
        .nullable()
        .meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
    })
    .meta({ description: 'One keyset page of users in ascending id order.' }),
);

const AcceptedSchema = exactly<SubmitUserResult>()(
  z
    .strictObject({
      eventId: z
        .string()
        .regex(EVENT_ID_PATTERN)
        .meta({ description: 'The Idempotency-Key when one was sent, otherwise a fresh UUID.' }),
      messageId: z.string().meta({ description: 'The topic message id.' }),
    })
    .meta({ description: 'The user was published; the subscriber writes it shortly.' }),
);

const HealthSchema = z.strictObject({
  status: z.literal('ok'),
  version: z.string(),
  database: z.literal('ok'),
});

const FieldIssueSchema = exactly<FieldIssue>()(z.strictObject({ path: z.string(), message: z.string() }));

/** Problem types the API answers with: `about:blank` or one of these URNs. */
const ProblemType = {
  malformedJson: 'urn:ingesta:problem:malformed-json',
  validation: 'urn:ingesta:problem:validation-error',
  keyInFlight: 'urn:ingesta:problem:idempotency-key-in-flight',
  keyReused: 'urn:ingesta:problem:idempotency-key-reused',
} as const;

/** RFC 9457 with the members this API adds: `requestId` always, `errors` and `limitBytes` where they apply. */
const ProblemSchema = z
  .strictObject({
    type: z.string().meta({ description: '`about:blank`, or a `urn:ingesta:problem:…` URN.' }),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string(),
    requestId: z.string().meta({ description: 'Also in the x-request-id header and in the logs.' }),
    errors: z.array(FieldIssueSchema).optional().meta({ description: 'Each invalid field.' }),
    limitBytes: z.int().optional().meta({ description: 'The body limit that was exceeded.' }),
  })
  .meta({ description: 'An RFC 9457 problem document.' });

/** The OpenAPI document is itself a JSON object; its own schema is the OpenAPI 3.1 specification. */
const OpenApiDocumentSchema = z
  .looseObject({ openapi: z.string() })
  .meta({ description: 'This document (OpenAPI 3.1).' });

export {
  AcceptedSchema,
  FieldIssueSchema,
  HealthSchema,
  OpenApiDocumentSchema,
  ProblemSchema,
  ProblemType,
  UserSchema,
  UsersPageSchema,
};
