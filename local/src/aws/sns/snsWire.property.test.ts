import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startLocalStack } from '#tests/support/localStack.ts';

const SIGNED =
  'AWS4-HMAC-SHA256 Credential=fuzz/20261128/eu-west-1/sns/aws4_request, SignedHeaders=host, Signature=00';
const ANSWER_WITHIN_MS = 3_000;
const NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:ingesta-users';

const ACTIONS = [
  'Publish',
  'ListTopics',
  'GetTopicAttributes',
  'ListSubscriptionsByTopic',
  'CreateTopic',
  'Subscribe',
];
const NAMES = [
  'Action',
  'Version',
  'TopicArn',
  'TargetArn',
  'PhoneNumber',
  'Message',
  'Subject',
  'MessageStructure',
  'NextToken',
  'MessageGroupId',
  'MessageAttributes.entry.1.Name',
  'MessageAttributes.entry.1.Value.DataType',
  'MessageAttributes.entry.1.Value.StringValue',
  'MessageAttributes.entry.1.Value.BinaryValue',
  'MessageAttributes.entry.2.Name',
  'MessageAttributes.entry.2.Value.DataType',
];

const valueArb = fc.oneof(
  fc.constantFrom(
    ...ACTIONS,
    TOPIC_ARN,
    'arn:aws:sns:us-east-1:000000000000:other',
    'json',
    'String',
    'Number',
    'Binary',
    'String.Array',
    '{"default":"x"}',
    '[1]',
    '',
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  // Values an answer may echo must come back escaped.
  fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", 'a', ';', '\u0000', '\uFFFF'), maxLength: 10 }),
);

/** A well-formed XML document, checked by hand: balanced tags, and text with nothing but known entities. */
const wellFormed = (xml: string): boolean => {
  const body = xml.replace(/^<\?xml version="1.0"\?>/, '');
  const stack: string[] = [];
  for (const token of body.split(/(<[^>]*>)/)) {
    if (token.startsWith('<')) {
      const tag = /^<(\/?)([A-Za-z]+)(?: xmlns="[^"]*")?>$/.exec(token);
      if (tag === null) return false;
      if (tag[1] === '/') {
        if (stack.pop() !== tag[2]) return false;
      } else stack.push(tag[2] ?? '');
    } else if (/[<>]|&(?!(?:lt|gt|amp|quot|apos);)/.test(token)) return false;
  }
  return stack.length === 0;
};

const requestArb = fc.record({
  action: fc.option(fc.oneof(fc.constantFrom(...ACTIONS), valueArb)),
  params: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 12 })), valueArb), {
    maxLength: 8,
  }),
  raw: fc.option(
    fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    ),
  ),
  contentType: fc.constantFrom(
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=utf-8',
    'text/plain',
    undefined,
  ),
  inQuery: fc.boolean(),
});

describe('SNS wire fuzz: malformed requests never get a 5xx or a hang', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startLocalStack({ aws: true });
  });
  afterAll(() => stack?.stop());

  it('answers every request in time with a 200 or a well-formed Query XML error', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requestArb, async ({ action, params, raw, contentType, inQuery }) => {
        const form = new URLSearchParams([
          ...(action === null ? [] : [['Action', action]]),
          ...params,
        ]).toString();
        const headers: Record<string, string> = { authorization: SIGNED };
        if (contentType !== undefined) headers['content-type'] = contentType;
        const url = inQuery ? `${stack.awsUrl}/?${form}` : `${stack.awsUrl}/`;
        const response = await fetch(url, {
          method: 'POST',
          headers,
          body: raw ?? (inQuery ? '' : form),
          signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
        });
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.headers.get('content-type')).toBe('text/xml');
        expect(wellFormed(text)).toBe(true);
        if (response.status === 200) {
          expect(text).toMatch(
            new RegExp(`^<\\?xml version="1.0"\\?><(\\w+)Response xmlns="${NAMESPACE}">.*</\\1Response>$`),
          );
          return;
        }
        expect([400, 404]).toContain(response.status);
        expect(text).toMatch(
          new RegExp(
            `^<\\?xml version="1.0"\\?><ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>[A-Za-z]+</Code><Message>[^<]*</Message></Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$`,
          ),
        );
      }),
      { numRuns: 250 },
    );
    expect(statuses.get(400)).toBeGreaterThan(0);
    expect(statuses.get(200)).toBeGreaterThan(0);
  });
});
