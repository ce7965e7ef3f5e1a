import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

/**
 * Anything shaped like an email address, including a malformed one (no domain) and Unicode local parts:
 * a refused address is as personal as an accepted one.
 */
const EMAIL_LIKE = /[\p{L}\p{N}_.+%!#$&*=?^`{|}~-]+@[\p{L}\p{N}_.-]*/gu;

/**
 * A stable pseudonym for an email (sha256 of the normalised address, first 12 hex digits): lines about
 * the same user correlate without the address being written down.
 */
const emailHash = (email: string): string =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 12);

/** `text` with every email-like substring replaced by `<email:HASH>`. */
const redactEmails = (text: string): string =>
  text.replace(EMAIL_LIKE, (email) => `<email:${emailHash(email)}>`);

/** A JSON.stringify replacer that redacts emails in every string value (the logger's last line of defence). */
const redactEmailsReplacer = (_key: string, value: unknown): unknown =>
  typeof value === 'string' ? redactEmails(value) : value;

/** An error as the console would print it (stack, cause), emails redacted: for plain console output. */
const redactedError = (error: unknown): string => redactEmails(inspect(error));

export { emailHash, redactEmails, redactEmailsReplacer, redactedError };
