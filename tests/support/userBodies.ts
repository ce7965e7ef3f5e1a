import fc from 'fast-check';

/**
 * Request bodies for property tests of the user contract: arbitrary Unicode (astral characters,
 * lone surrogates, every control character, JSON and array-literal metacharacters) around and
 * inside mostly plausible users, so both acceptance and refusal are exercised.
 */

/** Any UTF-16 code unit, so lone surrogates and every control character appear. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const tricky = fc.constantFrom(
  '\u0000',
  '\t',
  '\n',
  '\u007f',
  '\u0085',
  '\ud800',
  '\udfff',
  '\u00a0',
  '\ufeff',
  '\u2028',
  '\ufffe',
  '"',
  '\\',
  '{',
  '}',
  ',',
  ' ',
  'NULL',
  'İ',
  'ß',
  '\u212a',
  '😀',
);
const anyText = (maxLength: number) =>
  fc.string({ unit: fc.oneof(codeUnit, tricky, fc.string({ unit: 'binary', maxLength: 1 })), maxLength });

const name = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: anyText(40) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 195, maxLength: 205 }) },
);
const emailChar = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(..."abcXYZ019_+-.'".split('')) },
  { weight: 1, arbitrary: fc.oneof(codeUnit, tricky) },
);
/** Mostly plausible addresses, so many get through; now and then anything at all around or inside them. */
const rarely = (text: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 6, arbitrary: fc.constant('') }, { weight: 1, arbitrary: text });
const email = fc
  .tuple(
    rarely(anyText(2)),
    fc.string({ unit: emailChar, minLength: 1, maxLength: 12 }),
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('example.com', 'X.IO', 'b.co') },
      { weight: 1, arbitrary: fc.constantFrom('ex\u0000ample.com', 'exämple.com', 'ex\ud800.com') },
    ),
    rarely(anyText(2)),
  )
  .map(([before, local, domain, after]) => `${before}${local}@${domain}${after}`);

const userBodies = fc.uniqueArray(fc.record({ name, email }), {
  minLength: 1,
  maxLength: 8,
  // One event per email, so which of two events wins (a separate rule) never decides this one.
  selector: (body) => body.email.trim().toLowerCase(),
});

export { userBodies };
