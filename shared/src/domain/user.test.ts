import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import { isUserId, parseNewUser } from './user.ts';

const issuesOf = (input: unknown) => {
  try {
    parseNewUser(input);
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('parseNewUser', () => {
  it('trims the name and lower-cases the email', () => {
    expect(parseNewUser({ name: '  Ada Lovelace ', email: ' Ada@Example.COM ' })).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
    });
  });

  it('rejects a name that is empty after trimming', () => {
    expect(issuesOf({ name: '   ', email: 'a@b.co' })).toEqual([
      { path: 'name', message: 'name must not be empty' },
    ]);
  });

  it('accepts a 200-character name and rejects 201', () => {
    expect(parseNewUser({ name: 'x'.repeat(200), email: 'a@b.co' }).name).toHaveLength(200);
    expect(issuesOf({ name: 'x'.repeat(201), email: 'a@b.co' })[0]?.path).toBe('name');
  });

  it('rejects an email longer than 254 characters', () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;
    expect(email.length).toBeGreaterThan(254);
    expect(issuesOf({ name: 'A', email })[0]).toEqual({
      path: 'email',
      message: 'email must be at most 254 characters',
    });
  });

  it('rejects an invalid email address', () => {
    expect(issuesOf({ name: 'A', email: 'not-an-email' })).toEqual([
      { path: 'email', message: 'email must be a valid address' },
    ]);
  });

  it('rejects unknown fields, naming them', () => {
    const issues = issuesOf({ name: 'A', email: 'a@b.co', admin: true });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('admin');
  });

  it('names every missing or mistyped field at once', () => {
    const paths = issuesOf({ name: 42 }).map((i) => i.path);
    expect(paths).toEqual(['name', 'email']);
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['a C0 control', 'a\u0007b'],
    ['a tab inside', 'Ada\tLovelace'],
    ['a newline inside', 'Ada\nLovelace'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
  ])('rejects %s in the name or the email, naming the field', (_label, text) => {
    expect(issuesOf({ name: text, email: 'a@b.co' })).toEqual([
      { path: 'name', message: 'name must not contain control characters' },
    ]);
    expect(issuesOf({ name: 'A', email: `${text}@b.co` })).toEqual([
      { path: 'email', message: 'email must not contain control characters' },
    ]);
  });

  it.each([
    ['a lone high surrogate', '\ud800x'],
    ['a lone low surrogate', 'x\udfff'],
    ['surrogates in the wrong order', '\ude00\ud83d'],
  ])('rejects %s (not well-formed Unicode), naming the field', (_label, text) => {
    expect(issuesOf({ name: text, email: 'a@b.co' })).toEqual([
      { path: 'name', message: 'name must be well-formed Unicode (no lone surrogates)' },
    ]);
    expect(issuesOf({ name: 'A', email: `${text}@b.co` })).toEqual([
      { path: 'email', message: 'email must be well-formed Unicode (no lone surrogates)' },
    ]);
  });

  it('keeps astral characters and trims surrounding whitespace, tabs and newlines', () => {
    expect(parseNewUser({ name: '\t😀 Zoë\n', email: 'a@b.co' }).name).toBe('😀 Zoë');
  });

  it('rejects a body that is not an object', () => {
    expect(issuesOf([{ name: 'A', email: 'a@b.co' }])[0]?.path).toBe('(root)');
    expect(issuesOf(null)[0]?.path).toBe('(root)');
  });
});

describe('isUserId', () => {
  it('accepts positive bigint ids up to int8 max', () => {
    expect(isUserId('1')).toBe(true);
    expect(isUserId('9223372036854775807')).toBe(true);
  });

  it('rejects zero, signs, leading zeros, non-digits and overflow', () => {
    for (const id of ['0', '-1', '+1', '01', '1.5', 'abc', '', '9223372036854775808', '1'.repeat(20)]) {
      expect(isUserId(id), id).toBe(false);
    }
  });
});
