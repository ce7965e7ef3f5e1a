import type { FieldIssue } from '#shared/domain/errors.ts';
import type { UsersPage } from '#shared/domain/listUsers.ts';
import type { SubmitUserResult } from '#shared/domain/submitUser.ts';
import { USER_ID_PATTERN, type User } from '#shared/domain/user.ts';
import { EVENT_ID_PATTERN } from '#shared/domain/userEvent.ts';
import * as z from '#shared/domain/zodMini.ts';

/**
 * The response shapes, as zod schemas. Each must describe exactly the type the domain returns: the
 * `exactly` check fails to compile otherwise, so the published document cannot drift from the code.
 * Request schemas are the domain's own (NewUserSchema, PageQuerySchema).
 */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const exactly =
  <T>() =>
  <S extends z.core.$ZodType>(schema: S & (Equals<z.output<S>, T> extends true ? unknown : never)): S =>
    schema;

/**
 * What classic zod's `.meta()` does, for zod/mini schemas: a clone, described in the global registry that
 * z.toJSONSchema reads. The schemas are zod/mini so the API bundle carries one zod API, not two.
 */
const meta = <S extends z.ZodMiniType>(schema: S, data: { description: string }): S => {
  const described = schema.clone();
  z.globalRegistry.add(described, data);
  return described;
};

const UserSchema = exactly<User>()(
  meta(
    z.strictObject({
      id: meta(z.string().check(z.regex(USER_ID_PATTERN)), {
        description: 'A Postgres bigint, as a string.',
      }),
      name: z.string(),
      email: meta(z.string(), { description: 'Stored in lower case.' }),
      createdAt: z.iso.datetime(),
      updatedAt: meta(z.iso.datetime(), { description: 'When the subscriber last changed this user.' }),
    }),
    { description: 'A stored user.' },
  ),
);

const UsersPageSchema = exactly<UsersPage>()(
  meta(
    z.strictObject({
      items: z.array(UserSchema),
      nextCursor: meta(z.nullable(z.string()), {
        description: 'Pass as `cursor` for the next page; null on the last page.',
      }),
    }),
    { description: 'One keyset page of users in ascending id order.' },
  ),
);

const AcceptedSchema = exactly<SubmitUserResult>()(
  meta(
    z.strictObject({
      eventId: meta(z.string().check(z.regex(EVENT_ID_PATTERN)), {
        description: 'The Idempotency-Key when one was sent, otherwise a fresh UUID.',
      }),
      messageId: meta(z.string(), { description: 'The topic message id.' }),
    }),
    { description: 'The user was published; the subscriber writes it shortly.' },
  ),
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
const ProblemSchema = meta(
  z.strictObject({
    type: meta(z.string(), { description: '`about:blank`, or a `urn:ingesta:problem:…` URN.' }),
    title: z.string(),
    status: z.int().check(z.gte(400), z.lte(599)),
    detail: z.string(),
    requestId: meta(z.string(), { description: 'Also in the x-request-id header and in the logs.' }),
    errors: meta(z.optional(z.array(FieldIssueSchema)), { description: 'Each invalid field.' }),
    limitBytes: meta(z.optional(z.int()), { description: 'The body limit that was exceeded.' }),
  }),
  { description: 'An RFC 9457 problem document.' },
);

/** The OpenAPI document is itself a JSON object; its own schema is the OpenAPI 3.1 specification. */
const OpenApiDocumentSchema = meta(z.looseObject({ openapi: z.string() }), {
  description: 'This document (OpenAPI 3.1).',
});

export {
  AcceptedSchema,
  FieldIssueSchema,
  HealthSchema,
  meta,
  OpenApiDocumentSchema,
  ProblemSchema,
  ProblemType,
  UserSchema,
  UsersPageSchema,
};
