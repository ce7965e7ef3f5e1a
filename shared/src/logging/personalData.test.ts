import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './createLogger.ts';
import { emailHash, redactEmails, redactedError } from './personalData.ts';

describe('email redaction', () => {
  it('hashes an email stably, the same for every spelling of the same address', () => {
    expect(emailHash('Ada@Example.com ')).toBe(emailHash('ada@example.com'));
    expect(emailHash('ada@example.com')).toMatch(/^[0-9a-f]{12}$/);
    expect(emailHash('ada@example.com')).not.toBe(emailHash('bob@example.com'));
  });

  it.each([
    ['Key (email)=(ada@example.com) already exists.', 'ada@example.com'],
    ['refused "josé.núñez+tag@correo.es"', 'josé.núñez+tag@correo.es'],
    ['email must be a valid address: ada@', 'ada@'],
  ])('replaces the email in %j by its hash', (text, email) => {
    const redacted = redactEmails(text);
    expect(redacted).not.toContain(email);
    expect(redacted).toContain(`<email:${emailHash(email)}>`);
  });

  it('leaves text without an email as it is', () => {
    expect(redactEmails('The database refused the row (SQLSTATE 23505).')).toBe(
      'The database refused the row (SQLSTATE 23505).',
    );
  });
});

describe('the logger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes no email, whether in the message, an attribute, an error or its cause', () => {
    const written: string[] = [];
    const keep = (chunk: unknown): true => {
      written.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(keep);
    vi.spyOn(process.stderr, 'write').mockImplementation(keep);
    const logger = createLogger('ingesta-test', 'INFO');
    logger.info('Seen ada@example.com', { reason: 'row of ada@example.com' });
    logger.error('Failed', {
      error: new Error('cannot write ada@example.com', { cause: new Error('Key (email)=(ada@example.com)') }),
    });
    const output = written.join('');
    expect(output).toContain('Failed');
    expect(output).not.toContain('ada@example.com');
    expect(
      output.match(new RegExp(`<email:${emailHash('ada@example.com')}>`, 'g'))?.length,
    ).toBeGreaterThanOrEqual(4);
  });
});

describe('console output of an error', () => {
  it('keeps the stack and the cause but not the email', () => {
    const printed = redactedError(new Error('invoke failed for ada@x.io', { cause: new Error('ada@x.io') }));
    expect(printed).toContain('invoke failed for <email:');
    expect(printed).toContain('at ');
    expect(printed).toContain('[cause]');
    expect(printed).not.toContain('ada@x.io');
  });
});
