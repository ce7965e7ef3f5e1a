import type { AwsRequest, AwsResponse } from '../awsService.ts';

/**
 * The AWS Query protocol, shared by SNS and the SQS Query API (what older CLIs speak): a form-encoded
 * request (`Action=…&Version=…`, in the body or the query string) answered with XML.
 */

/** Characters XML 1.0 cannot carry at all are dropped; the five specials are escaped. */
const escapeXml = (value: string): string =>
  value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** An XML tree as nested objects: a string is text, an array repeats the element, undefined is left out. */
type XmlValue = string | number | boolean | undefined | XmlNode | XmlValue[];
interface XmlNode {
  [name: string]: XmlValue;
}

const renderXml = (name: string, value: XmlValue): string => {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => renderXml(name, v)).join('');
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .map(([child, v]) => renderXml(child, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
};

/** `<ActionResponse xmlns><ActionResult>…</ActionResult><ResponseMetadata><RequestId>` */
const queryAnswer = (
  namespace: string,
  action: string,
  result: XmlNode | undefined,
  requestId: string,
): AwsResponse => {
  const body =
    `<?xml version="1.0"?><${action}Response xmlns="${namespace}">` +
    (result === undefined ? '' : renderXml(`${action}Result`, result)) +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml' }, body };
};

interface QueryErrorFields {
  status: number;
  code: string;
  message: string;
  senderFault: boolean;
}

/** `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>` */
const queryError = (namespace: string, error: QueryErrorFields, requestId: string): AwsResponse => ({
  status: error.status,
  headers: { 'content-type': 'text/xml' },
  body:
    `<?xml version="1.0"?><ErrorResponse xmlns="${namespace}"><Error>` +
    `<Type>${error.senderFault ? 'Sender' : 'Receiver'}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`,
});

/**
 * The request's parameters: the query string's, then the form body's (a body that is not a form adds
 * none). A name given twice keeps its first value.
 */
const queryParameters = (request: AwsRequest): Map<string, string> => {
  const params = new Map<string, string>();
  const add = (search: URLSearchParams) => {
    for (const [name, value] of search) if (!params.has(name)) params.set(name, value);
  };
  add(request.query);
  const contentType = String(request.headers['content-type'] ?? '');
  if (
    request.body.length > 0 &&
    (contentType === '' || contentType.startsWith('application/x-www-form-urlencoded'))
  ) {
    add(new URLSearchParams(request.body.toString('utf8')));
  }
  return params;
};

/** Members of a flattened list: `prefix.1…`, `prefix.2…` until the first missing index. */
const listIndexes = (params: ReadonlyMap<string, string>, prefix: string): number[] => {
  const indexes: number[] = [];
  for (let i = 1; i <= 1000; i += 1) {
    const key = `${prefix}.${i}`;
    if (![...params.keys()].some((k) => k === key || k.startsWith(`${key}.`))) break;
    indexes.push(i);
  }
  return indexes;
};

export type { QueryErrorFields, XmlNode, XmlValue };
export { escapeXml, listIndexes, queryAnswer, queryError, queryParameters, renderXml };
