import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { MessageAttribute } from '#local/localQueue.ts';
import { sqsErrors } from './sqsErrors.ts';

/** A MessageAttributeValue as the wire carries it (Binary as base64). */
const MessageAttributeValueSchema = z.object({
  DataType: z.string(),
  StringValue: z.string().optional(),
  BinaryValue: z.string().optional(),
  StringListValues: z.array(z.string()).optional(),
  BinaryListValues: z.array(z.string()).optional(),
});

type MessageAttributeValue = z.output<typeof MessageAttributeValueSchema>;

const MAX_ATTRIBUTES = 10;
const NAME = /^(?!aws\.|amazon\.)(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/i;
const DATA_TYPE = /^(String|Number|Binary)(\.[A-Za-z0-9_.-]{1,250})?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks the attributes as SQS does and turns them into the queue's form. */
const toQueueAttributes = (
  attributes: Readonly<Record<string, MessageAttributeValue>> | undefined,
): Record<string, MessageAttribute> => {
  const entries = Object.entries(attributes ?? {});
  if (entries.length > MAX_ATTRIBUTES) {
    throw sqsErrors.invalidParameterValue(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  const out: Record<string, MessageAttribute> = {};
  for (const [name, value] of entries) {
    if (!NAME.test(name))
      throw sqsErrors.invalidParameterValue(`Message attribute name '${name.slice(0, 256)}' is invalid.`);
    const type = DATA_TYPE.exec(value.DataType);
    if (type === null) {
      throw sqsErrors.invalidParameterValue(
        `The type of message attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    if (value.StringListValues?.length || value.BinaryListValues?.length) {
      throw sqsErrors.invalidParameterValue(
        `Message attribute list values in SendMessage operation are not supported.`,
      );
    }
    if (type[1] === 'Binary') {
      if (
        value.BinaryValue === undefined ||
        value.StringValue !== undefined ||
        !BASE64.test(value.BinaryValue) ||
        value.BinaryValue.length === 0
      ) {
        throw sqsErrors.invalidParameterValue(
          `Message attribute '${name}' must contain a non-empty message attribute value for message attribute type 'Binary'.`,
        );
      }
      out[name] = { dataType: value.DataType, binaryValue: value.BinaryValue };
    } else {
      if (
        value.StringValue === undefined ||
        value.StringValue.length === 0 ||
        value.BinaryValue !== undefined
      ) {
        throw sqsErrors.invalidParameterValue(
          `Message attribute '${name}' must contain a non-empty message attribute value for message attribute type '${type[1]}'.`,
        );
      }
      if (type[1] === 'Number' && !Number.isFinite(Number(value.StringValue))) {
        throw sqsErrors.invalidParameterValue(
          `Can't cast the value of message (user) attribute '${name}' to a number.`,
        );
      }
      out[name] = { dataType: value.DataType, stringValue: value.StringValue };
    }
  }
  return out;
};

const toWire = (a: MessageAttribute): MessageAttributeValue => ({
  DataType: a.dataType,
  ...(a.stringValue !== undefined && { StringValue: a.stringValue }),
  ...(a.binaryValue !== undefined && { BinaryValue: a.binaryValue }),
});

const lengthPrefixed = (bytes: Buffer): Buffer => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
};

/**
 * MD5OfMessageAttributes as SQS computes it (and the SDKs check it): attributes sorted by name, each as
 * length-prefixed name, length-prefixed data type, a transport byte (1 string, 2 binary), length-prefixed value.
 */
const md5OfMessageAttributes = (
  attributes: Readonly<Record<string, MessageAttribute>>,
): string | undefined => {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const a = attributes[name] as MessageAttribute;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(a.dataType, 'utf8')));
    if (a.binaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      hash.update(lengthPrefixed(Buffer.from(a.binaryValue, 'base64')));
    } else {
      hash.update(Buffer.from([1]));
      hash.update(lengthPrefixed(Buffer.from(a.stringValue ?? '', 'utf8')));
    }
  }
  return hash.digest('hex');
};

/** Bytes SQS counts for the size limit: body plus each attribute's name, type and value. */
const messageSize = (body: string, attributes: Readonly<Record<string, MessageAttribute>>): number =>
  Buffer.byteLength(body) +
  Object.entries(attributes).reduce(
    (n, [name, a]) =>
      n +
      Buffer.byteLength(name) +
      Buffer.byteLength(a.dataType) +
      (a.binaryValue !== undefined
        ? Buffer.from(a.binaryValue, 'base64').length
        : Buffer.byteLength(a.stringValue ?? '')),
    0,
  );

/** Characters SQS accepts in a body: XML's. */
const VALID_BODY = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

/** Which attributes a receive asked for by name: `All`, `.*`, a name, or a `prefix.*`. */
const selectAttributes = (
  attributes: Readonly<Record<string, MessageAttribute>>,
  requested: readonly string[],
): Record<string, MessageAttribute> => {
  if (requested.length === 0) return {};
  const wanted = (name: string) =>
    requested.some(
      (r) => r === 'All' || r === '.*' || r === name || (r.endsWith('.*') && name.startsWith(r.slice(0, -1))),
    );
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => wanted(name)));
};

export type { MessageAttributeValue };
export {
  MessageAttributeValueSchema,
  md5OfMessageAttributes,
  messageSize,
  selectAttributes,
  toQueueAttributes,
  toWire,
  VALID_BODY,
};
