/** SNS and SQS both cap a message at 256 KiB, counting the body and every attribute name and value. */
const MAX_MESSAGE_BYTES = 256 * 1024;

class MessageTooLargeError extends Error {
  readonly bytes: number;

  constructor(service: 'SNS' | 'SQS', bytes: number) {
    super(`Message of ${bytes} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte ${service} limit.`);
    this.name = 'MessageTooLargeError';
    this.bytes = bytes;
  }
}

const messageBytes = (body: string, attributes: Readonly<Record<string, string>>): number =>
  Buffer.byteLength(body) +
  Object.entries(attributes).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);

/** Throws when the message would not fit the service's limit. */
const assertMessageFits = (
  service: 'SNS' | 'SQS',
  body: string,
  attributes: Readonly<Record<string, string>>,
): void => {
  const bytes = messageBytes(body, attributes);
  if (bytes > MAX_MESSAGE_BYTES) throw new MessageTooLargeError(service, bytes);
};

export { assertMessageFits, MAX_MESSAGE_BYTES, MessageTooLargeError };
