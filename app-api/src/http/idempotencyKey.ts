import { ValidationError } from '#shared/domain/errors.ts';
import { EVENT_ID_PATTERN } from '#shared/domain/userEvent.ts';
import type { HttpRequest } from './httpTypes.ts';

/** Set on a response that is the stored answer to an earlier request with the same key. */
const REPLAYED_HEADER = 'idempotent-replayed';

/** The scope of keys sent without an authenticated caller (Function URL auth NONE, or `npm start`). */
const ANONYMOUS_SCOPE = 'anonymous';

/** An RFC 8941 sf-string: printable ASCII in quotes, with `\"` and `\\` escaped. */
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;

const invalidKey = (): ValidationError =>
  new ValidationError('The Idempotency-Key header is invalid.', [
    {
      path: 'Idempotency-Key',
      message: 'must be 1-128 printable ASCII characters without spaces, quoted ("…") or bare',
    },
  ]);

/**
 * The draft defines Idempotency-Key as a structured-field string (`"8e03978e-…"`); most clients send it
 * bare (`8e03978e-…`). Both name the same key. Undefined when the header is absent.
 */
const readIdempotencyKey = (request: HttpRequest): string | undefined => {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const value = raw.trim();
  const quoted = SF_STRING.exec(value);
  if (value.startsWith('"') && quoted === null) throw invalidKey();
  const key = quoted === null ? value : (quoted[1] ?? '').replace(/\\(["\\])/g, '$1');
  if (!EVENT_ID_PATTERN.test(key)) throw invalidKey();
  return key;
};

export { ANONYMOUS_SCOPE, REPLAYED_HEADER, readIdempotencyKey };
