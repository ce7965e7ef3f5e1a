import { MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.ts';
import type { HttpRequest } from './httpTypes.ts';

/** Users are tiny; 64 KB leaves room and keeps every event far below SNS's 256 KiB. */
const MAX_BODY_BYTES = 64 * 1024;

const isJsonMediaType = (contentType: string | undefined): boolean => {
  if (contentType === undefined) return false;
  const [mediaType = '', ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  const isJson = mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  return isJson && (charset === undefined || charset === 'utf-8' || charset === 'utf8');
};

/** Size, then media type, then syntax: nothing is parsed before it is known to be small and JSON. */
const readJsonBody = (request: HttpRequest): unknown => {
  const body = request.body ?? Buffer.alloc(0);
  if (body.byteLength > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  const contentType = request.headers['content-type'];
  if (!isJsonMediaType(contentType)) throw new UnsupportedMediaTypeError(contentType);
  if (body.byteLength === 0)
    throw new MalformedJsonError('The request body is empty; expected a JSON object.');
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    throw new MalformedJsonError(undefined, { cause: error });
  }
};

export { isJsonMediaType, MAX_BODY_BYTES, readJsonBody };
